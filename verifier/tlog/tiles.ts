// C2SP tlog-tiles: hashes are stored in tiles of height 8 (256 hashes of one level each); a tile at
// tile level t holds the hashes of tree level 8t. Entries are stored in entry bundles of 256 entries.
// A tile that is not full yet is published as a partial tile `.p/<W>` of its first W hashes.

import { concat } from "./bytes";
import { HASH_SIZE, type Hash, merkleRoot } from "./hash";
import {
  consistencyProofRanges,
  inclusionProofRanges,
  type Node,
  nodeKey,
  nodesFor,
  proofFrom,
  treeHash,
  treeNodes,
} from "./tree";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** A tile: level -1 is the entry bundles ("entries"). width 1..256; 256 is a full tile. */
export interface TileRef {
  level: number;
  index: number;
  width: number;
}

/** `x001/x234/067`: 3-digit groups, all but the last prefixed with x. */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("tile index must be a non-negative integer");
  let s = String(n % 1000).padStart(3, "0");
  let rest = Math.floor(n / 1000);
  while (rest > 0) {
    s = `x${String(rest % 1000).padStart(3, "0")}/${s}`;
    rest = Math.floor(rest / 1000);
  }
  return s;
}

export function tilePath(t: TileRef): string {
  const level = t.level === -1 ? "entries" : String(t.level);
  const partial = t.width < TILE_WIDTH ? `.p/${t.width}` : "";
  return `tile/${level}/${encodeTileIndex(t.index)}${partial}`;
}

/** Parses `tile/<L>/<N>[.p/<W>]` (or `tile/entries/...`); null when it is not a valid tile path. */
export function parseTilePath(path: string): TileRef | null {
  const m =
    /^tile\/(entries|[0-9]|[1-5][0-9]|6[0-3])\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([0-9]{1,3}))?$/.exec(
      path,
    );
  if (!m) return null;
  const level = m[1] === "entries" ? -1 : Number(m[1]);
  const groups = [
    ...(m[2] ?? "")
      .split("/")
      .filter(Boolean)
      .map((g) => g.slice(1)),
    m[3]!,
  ];
  let index = 0;
  for (const g of groups) index = index * 1000 + Number(g);
  if (!Number.isSafeInteger(index)) return null;
  // The encoding is canonical: no leading zero groups.
  if (encodeTileIndex(index) !== `${m[2] ?? ""}${m[3]}`) return null;
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if (m[4] !== undefined && (String(width) !== m[4] || width < 1 || width >= TILE_WIDTH)) return null;
  return { level, index, width };
}

/** How many hashes tree level 8·t has in a tree of `size` leaves (or entries, for t = -1 → 0). */
function countAt(size: number, tileLevel: number): number {
  return Math.floor(size / TILE_WIDTH ** Math.max(tileLevel, 0));
}

/** The tile (with its width at this tree size) holding position `pos` of tile level t; null if absent. */
export function tileAt(size: number, tileLevel: number, pos: number): TileRef | null {
  const count = countAt(size, tileLevel);
  if (pos >= count) return null;
  const index = Math.floor(pos / TILE_WIDTH);
  return { level: tileLevel, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) };
}

/** Every tile (including the partial one at the right edge) of each level, for a tree of `size`. */
export function tilesForSize(size: number, tileLevel: number): TileRef[] {
  const count = countAt(size, tileLevel);
  const out: TileRef[] = [];
  for (let i = 0; i * TILE_WIDTH < count; i++)
    out.push({ level: tileLevel, index: i, width: Math.min(TILE_WIDTH, count - i * TILE_WIDTH) });
  return out;
}

/** Where node (8t + r, n) lies: 2^r consecutive hashes of one tile at tile level t. */
function locate(node: Node): { tileLevel: number; pos: number; span: number } {
  const tileLevel = Math.floor(node.level / TILE_HEIGHT);
  const span = 2 ** (node.level - tileLevel * TILE_HEIGHT);
  return { tileLevel, pos: node.index * span, span };
}

export function parseTile(bytes: Uint8Array, width: number): Hash[] {
  if (bytes.length !== width * HASH_SIZE)
    throw new Error(`tile has ${bytes.length} bytes, expected ${width * HASH_SIZE}`);
  const out: Hash[] = [];
  for (let i = 0; i < width; i++) out.push(bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

export const encodeTile = (hashes: readonly Hash[]): Uint8Array => concat(...hashes);

/** A downloaded tile's bytes (full or partial as `ref` says). Should throw when it cannot be read. */
export type TileReader = (ref: TileRef) => Promise<Uint8Array>;

/** Reads the tiles holding `nodes` in a tree of `size` (each tile once) and returns a node getter. */
export async function readNodes(
  nodes: readonly Node[],
  size: number,
  read: TileReader,
): Promise<(n: Node) => Hash> {
  const tiles = new Map<string, TileRef>();
  for (const n of nodes) {
    const { tileLevel, pos } = locate(n);
    const t = tileAt(size, tileLevel, pos);
    if (!t) throw new RangeError(`node ${nodeKey(n)} is outside a tree of size ${size}`);
    tiles.set(tilePath(t), t);
  }
  const loaded = new Map<string, Hash[]>();
  await Promise.all(
    [...tiles.entries()].map(async ([path, t]) => loaded.set(path, parseTile(await read(t), t.width))),
  );
  return (n) => {
    const { tileLevel, pos, span } = locate(n);
    const t = tileAt(size, tileLevel, pos)!;
    const hashes = loaded.get(tilePath(t));
    if (!hashes) throw new Error(`tile for node ${nodeKey(n)} was not read`);
    const start = pos - t.index * TILE_WIDTH;
    return merkleRoot(hashes.slice(start, start + span));
  };
}

export async function treeHashFromTiles(size: number, read: TileReader): Promise<Hash> {
  const get = await readNodes(treeNodes(size), size, read);
  return treeHash(size, get);
}

export async function inclusionProofFromTiles(
  index: number,
  size: number,
  read: TileReader,
): Promise<Hash[]> {
  const ranges = inclusionProofRanges(index, size);
  return proofFrom(ranges, await readNodes(nodesFor(ranges), size, read));
}

export async function consistencyProofFromTiles(
  oldSize: number,
  newSize: number,
  read: TileReader,
): Promise<Hash[]> {
  const ranges = consistencyProofRanges(oldSize, newSize);
  return proofFrom(ranges, await readNodes(nodesFor(ranges), newSize, read));
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (e.length > 0xffff) throw new RangeError("an entry is longer than 65535 bytes");
    parts.push(new Uint8Array([e.length >> 8, e.length & 0xff]), e);
  }
  return concat(...parts);
}

export function parseBundle(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (off + 2 > bytes.length) throw new Error("entry bundle truncated in a length");
    const len = (bytes[off]! << 8) | bytes[off + 1]!;
    off += 2;
    if (off + len > bytes.length) throw new Error("entry bundle truncated in an entry");
    out.push(bytes.slice(off, off + len));
    off += len;
  }
  return out;
}
