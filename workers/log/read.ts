// Reads of the published log (R2, as the sequencer wrote it): the checkpoint, tiles, entries and
// inclusion proofs. The sequencer is never on the read path.

import { CHECKPOINT_KEY } from "../../durable/log-sequencer";
import {
  type Checkpoint,
  encodeBundle,
  HASH_SIZE,
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

/**
 * A tile's bytes, or null. A partial tile deleted after its full tile was written (the sequencer's
 * clean-up) is the full tile's prefix: its first W hashes, or its first W entries.
 */
export async function tileBytes(env: Env, ref: TileRef): Promise<Uint8Array | null> {
  const obj = await env.LOG_BUCKET.get(tilePath(ref));
  if (obj) return new Uint8Array(await obj.arrayBuffer());
  if (ref.width === TILE_WIDTH) return null;
  const full = await env.LOG_BUCKET.get(tilePath({ ...ref, width: TILE_WIDTH }));
  if (!full) return null;
  const bytes = new Uint8Array(await full.arrayBuffer());
  return ref.level === -1
    ? encodeBundle(parseBundle(bytes).slice(0, ref.width))
    : bytes.slice(0, ref.width * HASH_SIZE);
}

async function readTile(env: Env, ref: TileRef): Promise<Uint8Array> {
  const bytes = await tileBytes(env, ref);
  if (!bytes) throw new Error(`log object ${tilePath(ref)} is missing`);
  return bytes;
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
