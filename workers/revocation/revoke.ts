import type { PaperCodeRow } from "../../schema/d1/revocations";
import { revocations } from "../../schema/d1/revocations";
import { personAuditStatement } from "../audit/log";
import type { PersonCaller } from "../auth/caller";
import { maxSignedLifetimeMs } from "../codes/keys";
import { config } from "../config";
import { personDb } from "../lib/shards";
import { invalidateRevocations } from "./cache";
import { revokeBefore } from "./crl";
import { insertRevocationStatement, markPaperRevokedStatement } from "./repo";
import { personRid } from "./rid";

/** A bare-rid entry lives until its code expires (plus skew); a person entry until every earlier code has. */
const SKEW_MS = 60_000;

export interface RevokeRequest {
  personId: string;
  scope: "paper" | "all";
  reason: string;
  /** The paper codes to revoke one by one (their own rids). */
  paperCodes: PaperCodeRow[];
  /** Who, for the row (`issuer|subject`). */
  actor: string;
}

export async function recordRevocation(
  env: Env,
  caller: PersonCaller,
  req: RevokeRequest,
  requestId: string,
  now = Date.now(),
): Promise<{ revocationIds: number[]; before: number | null }> {
  const db = personDb(env, req.personId);
  const createdAt = new Date(now).toISOString();
  const base = {
    personId: req.personId,
    scope: req.scope,
    reason: req.reason,
    createdAt,
    createdBy: req.actor,
  };
  const inserts = req.paperCodes.map((p) =>
    insertRevocationStatement(env, {
      ...base,
      rid: p.rid,
      before: null,
      codeId: p.codeId,
      until: new Date(Date.parse(p.expiresAt) + SKEW_MS).toISOString(),
    }).returning({ id: revocations.id }),
  );
  let before: number | null = null;
  if (req.scope === "all") {
    before = revokeBefore(now);
    inserts.push(
      insertRevocationStatement(env, {
        ...base,
        rid: await personRid(config(env).personIdKey, req.personId),
        before,
        codeId: null,
        until: new Date(now + maxSignedLifetimeMs(env)).toISOString(),
      }).returning({ id: revocations.id }),
    );
  }
  const marks = req.paperCodes.map((p) => markPaperRevokedStatement(env, req.personId, p.codeId, createdAt));
  const audit = personAuditStatement(
    env,
    caller,
    req.personId,
    {
      action: req.scope === "all" ? "codes.revoke-all" : "paper-code.revoke",
      reason: req.reason,
      detail: { codeIds: req.paperCodes.map((p) => p.codeId), before },
    },
    requestId,
  );
  if (inserts.length === 0) {
    await audit;
    return { revocationIds: [], before };
  }
  const [first, ...rest] = inserts;
  // The entries and marks in one transaction on the person's shard, then the audit row (workers/audit/log.ts says where).
  const results = await db.batch([first!, ...rest, ...marks]);
  await audit;
  invalidateRevocations();
  const ids = results.slice(0, inserts.length).flatMap((r) => (r as { id: number }[]).map((x) => x.id));
  return { revocationIds: ids, before };
}
