// A full audit of a tiled log: every entry bundle is read, its entries hashed as leaves, the tree
// rebuilt with the same edge the sequencer uses, and every tile the log serves compared with the
// rebuilt one. Memory stays bounded (one edge, one bundle at a time) however long the log is.

import { equalBytes } from "./bytes";
import { appendToEdge, type Edge, edgeRoot, emptyEdge } from "./edge";
import type { Hash } from "./hash";
import { leafHash } from "./hash";
import { encodeTile, parseBundle, TILE_WIDTH, type TileReader, type TileRef, tilePath } from "./tiles";

export interface AuditProgress {
  done: number;
  total: number;
}

export type AuditResult =
  | { ok: true; size: number; root: Hash }
  | { ok: false; reason: "tile_mismatch" | "bundle_mismatch" | "root_mismatch"; at: string };

/**
 * Rebuilds the tree of `size` entries from the entry bundles, checks every served hash tile against
 * it, and the root against `expectedRoot`. `onEntry` sees every entry in order (for statistics).
 */
export async function auditLog(opts: {
  size: number;
  expectedRoot: Hash;
  read: TileReader;
  onEntry?: (entry: Uint8Array, index: number) => void;
  onProgress?: (p: AuditProgress) => void;
}): Promise<AuditResult> {
  const { size, read } = opts;
  let edge: Edge = emptyEdge();
  const bundles = Math.ceil(size / TILE_WIDTH);
  for (let b = 0; b < bundles; b++) {
    const width = Math.min(TILE_WIDTH, size - b * TILE_WIDTH);
    const ref: TileRef = { level: -1, index: b, width };
    const entries = parseBundle(await read(ref));
    if (entries.length !== width) return { ok: false, reason: "bundle_mismatch", at: tilePath(ref) };
    for (let i = 0; i < entries.length; i++) opts.onEntry?.(entries[i]!, b * TILE_WIDTH + i);
    const next = appendToEdge(edge, entries.map(leafHash));
    edge = next.edge;
    for (const t of next.tiles) {
      // Partial tiles are checked only at the final size: intermediate widths need not be served.
      if (t.ref.width < TILE_WIDTH && b < bundles - 1) continue;
      const served = await read(t.ref);
      if (!equalBytes(served, encodeTile(t.hashes)))
        return { ok: false, reason: "tile_mismatch", at: tilePath(t.ref) };
    }
    opts.onProgress?.({ done: b * TILE_WIDTH + width, total: size });
  }
  const root = edgeRoot(edge);
  if (!equalBytes(root, opts.expectedRoot)) return { ok: false, reason: "root_mismatch", at: "checkpoint" };
  return { ok: true, size, root };
}
