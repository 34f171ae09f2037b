// RFC 6962 / RFC 9162 Merkle tree algorithms over complete subtrees. A node is (level, index): the
// hash of leaves [index·2^level, (index+1)·2^level). Proof generation is split in two so that storage
// can be asynchronous (tiles in R2, downloaded tiles): first the nodes a proof needs, then the proof
// from those nodes' hashes. Sizes are plain numbers with arithmetic (no 32-bit bitwise operators).

import { equalBytes } from "./bytes";
import { emptyTreeHash, type Hash, largestPowerOfTwoBelow, nodeHash } from "./hash";

export interface Node {
  level: number;
  index: number;
}

export const nodeKey = (n: Node): string => `${n.level}/${n.index}`;

/** The complete subtrees, left to right, whose concatenation is leaves [lo, hi). */
export function rangeNodes(lo: number, hi: number): Node[] {
  const out: Node[] = [];
  while (lo < hi) {
    let level = 0;
    let span = 1;
    while (lo % (span * 2) === 0 && lo + span * 2 <= hi) {
      span *= 2;
      level++;
    }
    out.push({ level, index: lo / span });
    lo += span;
  }
  return out;
}

/** The hash of leaves [lo, hi) as RFC 6962 defines it (valid for the ranges the proofs use). */
export function rangeHash(lo: number, hi: number, get: (n: Node) => Hash): Hash {
  if (lo === hi) return emptyTreeHash();
  const hashes = rangeNodes(lo, hi).map(get);
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

type Range = [number, number];

/** RFC 6962 §2.1.1 PATH(m, D[lo:hi]) as leaf ranges, leaf-side first. */
function inclusionRanges(m: number, lo: number, hi: number): Range[] {
  if (hi - lo <= 1) return [];
  const k = largestPowerOfTwoBelow(hi - lo);
  if (m < k) return [...inclusionRanges(m, lo, lo + k), [lo + k, hi]];
  return [...inclusionRanges(m - k, lo + k, hi), [lo, lo + k]];
}

/** RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b) as leaf ranges. */
function consistencyRanges(m: number, lo: number, hi: number, whole: boolean): Range[] {
  const n = hi - lo;
  if (m === n) return whole ? [] : [[lo, hi]];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...consistencyRanges(m, lo, lo + k, whole), [lo + k, hi]];
  return [...consistencyRanges(m - k, lo + k, hi, false), [lo, lo + k]];
}

function checkSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${what} must be a non-negative integer`);
}

export function inclusionProofRanges(index: number, size: number): Range[] {
  checkSize(index, "index");
  checkSize(size, "size");
  if (index >= size) throw new RangeError(`index ${index} is not below the tree size ${size}`);
  return inclusionRanges(index, 0, size);
}

export function consistencyProofRanges(oldSize: number, newSize: number): Range[] {
  checkSize(oldSize, "old size");
  checkSize(newSize, "new size");
  if (oldSize > newSize) throw new RangeError(`old size ${oldSize} exceeds new size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  return consistencyRanges(oldSize, 0, newSize, true);
}

/** Every complete subtree the given ranges are made of (deduplicated). */
export function nodesFor(ranges: readonly Range[]): Node[] {
  const seen = new Map<string, Node>();
  for (const [lo, hi] of ranges) for (const n of rangeNodes(lo, hi)) seen.set(nodeKey(n), n);
  return [...seen.values()];
}

export const treeNodes = (size: number): Node[] => rangeNodes(0, size);
export const treeHash = (size: number, get: (n: Node) => Hash): Hash => rangeHash(0, size, get);

export function proofFrom(ranges: readonly Range[], get: (n: Node) => Hash): Hash[] {
  return ranges.map(([lo, hi]) => rangeHash(lo, hi, get));
}

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2; any tree is consistent with the empty tree. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize)) return false;
  if (oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
