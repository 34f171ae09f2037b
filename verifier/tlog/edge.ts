// The right edge of a tiled tree: at each tile level, the hashes of the tile that is not full yet.
// It is all a sequencer must keep to append leaves, write the tiles that change and compute the root;
// everything to its left is in full tiles that never change.

import { type Hash, merkleRoot } from "./hash";
import { TILE_HEIGHT, TILE_WIDTH, type TileRef } from "./tiles";
import { treeHash, treeNodes } from "./tree";

export interface Edge {
  size: number;
  /** levels[t]: the hashes of tile level t's incomplete tile (fewer than 256). */
  levels: Hash[][];
}

export const emptyEdge = (): Edge => ({ size: 0, levels: [] });

export interface TileWrite {
  ref: TileRef;
  hashes: Hash[];
}

/** Appends leaf hashes; returns the new edge and every tile to (re)write, full and partial. */
export function appendToEdge(edge: Edge, leaves: readonly Hash[]): { edge: Edge; tiles: TileWrite[] } {
  const levels = edge.levels.map((l) => [...l]);
  let size = edge.size;
  const full: TileWrite[] = [];
  const touched = new Set<number>();
  for (const leaf of leaves) {
    size++;
    let h = leaf;
    for (let t = 0; ; t++) {
      levels[t] ??= [];
      const tile = levels[t]!;
      tile.push(h);
      touched.add(t);
      if (tile.length < TILE_WIDTH) break;
      const count = Math.floor(size / TILE_WIDTH ** t);
      full.push({ ref: { level: t, index: count / TILE_WIDTH - 1, width: TILE_WIDTH }, hashes: tile });
      h = merkleRoot(tile);
      levels[t] = [];
    }
  }
  const partial: TileWrite[] = [];
  for (const t of [...touched].sort((a, b) => a - b)) {
    const tile = levels[t]!;
    if (tile.length === 0) continue;
    const count = Math.floor(size / TILE_WIDTH ** t);
    partial.push({
      ref: { level: t, index: Math.floor(count / TILE_WIDTH), width: tile.length },
      hashes: [...tile],
    });
  }
  return { edge: { size, levels }, tiles: [...full, ...partial] };
}

/** The root of the tree the edge ends: every complete subtree of the tree lies in an edge tile. */
export function edgeRoot(edge: Edge): Hash {
  return treeHash(edge.size, (n) => {
    const t = Math.floor(n.level / TILE_HEIGHT);
    const span = 2 ** (n.level - t * TILE_HEIGHT);
    const start = (n.index * span) % TILE_WIDTH;
    return merkleRoot(edge.levels[t]!.slice(start, start + span));
  });
}

export { treeNodes };
