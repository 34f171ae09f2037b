import { concat } from "./bytes";
import { sha256 } from "./sha256";

/** RFC 6962 §2.1: leaves and interior nodes are hashed with distinct prefixes (no second pre-image). */
export const HASH_SIZE = 32;
export type Hash = Uint8Array;

export const leafHash = (entry: Uint8Array): Hash => sha256(concat(new Uint8Array([0]), entry));
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(concat(new Uint8Array([1]), left, right));
export const emptyTreeHash = (): Hash => sha256(new Uint8Array(0));

/** The root of a list of hashes taken as leaves-level nodes (RFC 6962 MTH over already hashed items). */
export function merkleRoot(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return emptyTreeHash();
  if (hashes.length === 1) return hashes[0]!;
  const k = largestPowerOfTwoBelow(hashes.length);
  return nodeHash(merkleRoot(hashes.slice(0, k)), merkleRoot(hashes.slice(k)));
}

/** The largest power of two strictly less than n (n ≥ 2). Plain arithmetic: sizes may exceed 2^32. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
