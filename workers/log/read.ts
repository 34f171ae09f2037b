// Reads of the published log (R2, as the sequencer wrote it): the checkpoint, tiles, entries and
// inclusion proofs. The sequencer is never on the read path.

import { CHECKPOINT_KEY } from "../../durable/log-sequencer";
import {
  type Checkpoint,
  inclusionProofFromTiles,
  parseBundle,
  parseCheckpoint,
  TILE_WIDTH,
  type TileRef,
  tileAt,
  tilePath,
  toBase64,
} from "../../verifier/tlog";

export async function latestCheckpoint(env: Env): Promise<{ signed: string; checkpoint: Checkpoint } | null> {
  const obj = await env.LOG_BUCKET.get(CHECKPOINT_KEY);
  if (!obj) return null;
  const signed = await obj.text();
  // The note's text is everything before the blank line that starts the signatures.
  const checkpoint = parseCheckpoint(signed.slice(0, signed.lastIndexOf("\n\n") + 1));
  return checkpoint ? { signed, checkpoint } : null;
}

async function readTile(env: Env, ref: TileRef): Promise<Uint8Array> {
  const obj = await env.LOG_BUCKET.get(tilePath(ref));
  if (!obj) throw new Error(`log object ${tilePath(ref)} is missing`);
  return new Uint8Array(await obj.arrayBuffer());
}

/** The entry at `index` and its inclusion proof in the tree of `checkpoint`. */
export async function entryWithProof(
  env: Env,
  checkpoint: Checkpoint,
  index: number,
): Promise<{ entry: string; proof: string[] }> {
  const bundleRef = tileAt(checkpoint.size, -1, index)!;
  const [bundle, proof] = await Promise.all([
    readTile(env, bundleRef),
    inclusionProofFromTiles(index, checkpoint.size, (ref) => readTile(env, ref)),
  ]);
  const entry = parseBundle(bundle)[index - bundleRef.index * TILE_WIDTH];
  if (!entry) throw new Error(`entry ${index} is missing from its bundle`);
  return { entry: new TextDecoder().decode(entry), proof: proof.map(toBase64) };
}
