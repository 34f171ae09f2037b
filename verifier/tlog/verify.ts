// What a client (the person app, the audit CLI) checks: a checkpoint signed by the log's key, and an
// entry's inclusion in that checkpoint's tree.

import { fromBase64, utf8 } from "./bytes";
import { type Checkpoint, parseCheckpoint } from "./checkpoint";
import { leafHash } from "./hash";
import { openNote, parseVerifierKey } from "./note";
import { verifyInclusion } from "./tree";

export type CheckpointFailure =
  | "bad_key"
  | "malformed"
  | "no_known_signature"
  | "bad_signature"
  | "wrong_origin";
export type CheckpointCheck = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: CheckpointFailure };

/** Verifies a signed checkpoint against the log's verifier key; the origin must be the key's name. */
export async function verifyCheckpoint(signed: string, verifierKey: string): Promise<CheckpointCheck> {
  const key = await parseVerifierKey(verifierKey);
  if (!key) return { ok: false, reason: "bad_key" };
  const opened = await openNote(signed, [key]);
  if (!opened.ok) return { ok: false, reason: opened.reason };
  const checkpoint = parseCheckpoint(opened.text);
  if (!checkpoint) return { ok: false, reason: "malformed" };
  if (checkpoint.origin !== key.name) return { ok: false, reason: "wrong_origin" };
  return { ok: true, checkpoint };
}

export interface InclusionClaim {
  checkpoint: string;
  index: number;
  /** The entry's bytes as UTF-8 text (canonical JSON). */
  entry: string;
  proof: string[];
}

export type InclusionCheck =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; reason: CheckpointFailure | "bad_proof" };

export async function verifyInclusionClaim(
  claim: InclusionClaim,
  verifierKey: string,
): Promise<InclusionCheck> {
  const cp = await verifyCheckpoint(claim.checkpoint, verifierKey);
  if (!cp.ok) return cp;
  const proof = claim.proof.map(fromBase64);
  if (proof.some((p) => p?.length !== 32)) return { ok: false, reason: "bad_proof" };
  const ok = verifyInclusion(
    leafHash(utf8(claim.entry)),
    claim.index,
    cp.checkpoint.size,
    proof as Uint8Array[],
    cp.checkpoint.root,
  );
  return ok ? { ok: true, checkpoint: cp.checkpoint } : { ok: false, reason: "bad_proof" };
}
