import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendToEdge,
  auditLog,
  consistencyProofFromTiles,
  consistencyProofRanges,
  edgeRoot,
  emptyEdge,
  encodeBundle,
  encodeTile,
  formatCheckpoint,
  generateSignerKey,
  type Hash,
  inclusionProofFromTiles,
  inclusionProofRanges,
  leafHash,
  merkleRoot,
  type Node,
  parseBundle,
  parseSignerKey,
  proofFrom,
  signNote,
  type TileRef,
  tilePath,
  treeHashFromTiles,
  utf8,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "../../../verifier/tlog";

const leavesOf = (n: number, seed = 0): Hash[] =>
  Array.from({ length: n }, (_, i) => leafHash(utf8(`entry ${seed}:${i}`)));

/** Complete-subtree hashes of a list of leaves, by level, computed directly. */
function nodeTable(leaves: Hash[]): (n: Node) => Hash {
  const memo = new Map<string, Hash>();
  return (n) => {
    const k = `${n.level}/${n.index}`;
    let h = memo.get(k);
    if (!h) {
      const span = 2 ** n.level;
      h = merkleRoot(leaves.slice(n.index * span, (n.index + 1) * span));
      memo.set(k, h);
    }
    return h;
  };
}

/** Writes a tree through appendToEdge in the given batch sizes; returns its tiles by path. */
function tiled(leaves: Hash[], batches: number[]): { tiles: Map<string, Uint8Array>; root: Hash } {
  const tiles = new Map<string, Uint8Array>();
  let edge = emptyEdge();
  let at = 0;
  for (const b of [...batches, leaves.length]) {
    const next = leaves.slice(at, Math.min(leaves.length, at + b));
    at += next.length;
    const r = appendToEdge(edge, next);
    edge = r.edge;
    for (const t of r.tiles) tiles.set(tilePath(t.ref), encodeTile(t.hashes));
    if (at >= leaves.length) break;
  }
  return { tiles, root: edgeRoot(edge) };
}

const reader = (tiles: Map<string, Uint8Array>) => async (ref: TileRef) => {
  const t = tiles.get(tilePath(ref));
  if (!t) throw new Error(`missing ${tilePath(ref)}`);
  return t;
};

describe("inclusion and consistency proofs", () => {
  it("every index of random trees has an inclusion proof that verifies, and only for its leaf", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (size, seed) => {
        const leaves = leavesOf(size, seed);
        const get = nodeTable(leaves);
        const root = merkleRoot(leaves);
        for (let i = 0; i < size; i++) {
          const proof = proofFrom(inclusionProofRanges(i, size), get);
          expect(verifyInclusion(leaves[i]!, i, size, proof, root)).toBe(true);
          // The same proof for a neighbour's leaf, or at another index, fails.
          if (size > 1) {
            expect(verifyInclusion(leaves[(i + 1) % size]!, i, size, proof, root)).toBe(false);
            expect(verifyInclusion(leaves[i]!, (i + 1) % size, size, proof, root)).toBe(false);
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  // 160 passes 128, so every pair crosses trees of up to nine levels, complete and ragged; the
  // pairs grow with the square of N, and 300 cost this suite a minute and a half.
  it("consistency proofs verify between every pair of sizes up to 160, and a tampered one does not", () => {
    const N = 160;
    const leaves = leavesOf(N);
    const get = nodeTable(leaves);
    const roots = Array.from({ length: N + 1 }, (_, n) => merkleRoot(leaves.slice(0, n)));
    for (let m = 0; m <= N; m++) {
      for (let n = m; n <= N; n++) {
        const proof = proofFrom(consistencyProofRanges(m, n), get);
        if (!verifyConsistency(m, n, roots[m]!, roots[n]!, proof))
          throw new Error(`consistency ${m} → ${n} failed`);
        if (m > 0 && m < n) {
          const bad = proof.map((p, i) => (i === 0 ? leafHash(p) : p));
          if (verifyConsistency(m, n, roots[m]!, roots[n]!, bad))
            throw new Error(`tampered ${m} → ${n} passed`);
          if (verifyConsistency(m, n, roots[m - 1]!, roots[n]!, proof))
            throw new Error(`wrong old root ${m} → ${n}`);
        }
      }
    }
  });
});

describe("tiles", () => {
  it("the sequencer's edge gives the same root and tiles whatever the batching", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1200 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }),
        (size, batches) => {
          const leaves = leavesOf(size);
          const { root } = tiled(leaves, batches);
          expect(root).toEqual(merkleRoot(leaves));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("tree hash and proofs from tiles agree with the leaves, across tile levels 0–2", async () => {
    const size = 256 * 256 + 300;
    const leaves = leavesOf(size, 7);
    const { tiles, root } = tiled(leaves, [1000, 65000, 1]);
    const read = reader(tiles);
    expect(await treeHashFromTiles(size, read)).toEqual(root);
    expect(root).toEqual(merkleRoot(leaves));
    for (const i of [0, 255, 256, 65535, 65536, size - 1, 12345]) {
      const proof = await inclusionProofFromTiles(i, size, read);
      expect(verifyInclusion(leaves[i]!, i, size, proof, root)).toBe(true);
    }
    const old = 70_000 - 4321;
    const oldRoot = merkleRoot(leaves.slice(0, old));
    const { tiles: oldTiles } = tiled(leaves.slice(0, old), [old]);
    for (const [p, t] of oldTiles) if (!tiles.has(p)) tiles.set(p, t);
    expect(
      verifyConsistency(old, size, oldRoot, root, await consistencyProofFromTiles(old, size, read)),
    ).toBe(true);
  });

  it("a tampered or truncated tile is refused", async () => {
    const size = 600;
    const leaves = leavesOf(size, 3);
    const { tiles, root } = tiled(leaves, [100]);
    for (let b = 0; b * 256 < size; b++) {
      const entries = Array.from({ length: Math.min(256, size - b * 256) }, (_, i) =>
        utf8(`entry 3:${b * 256 + i}`),
      );
      tiles.set(tilePath({ level: -1, index: b, width: entries.length }), encodeBundle(entries));
    }
    const path = tilePath({ level: 0, index: 1, width: 256 });
    const bad = new Map(tiles);
    const t = new Uint8Array(tiles.get(path)!);
    t[40] = t[40]! ^ 1;
    bad.set(path, t);
    // The root needs only the level-1 tile here; a full audit rebuilds every tile from the entries.
    expect(await auditLog({ size, expectedRoot: root, read: reader(bad) })).toEqual({
      ok: false,
      reason: "tile_mismatch",
      at: path,
    });
    const proof = await inclusionProofFromTiles(300, size, reader(bad));
    // A proof built from a tampered tile does not verify against the signed root.
    expect(verifyInclusion(leaves[300]!, 300, size, proof, root)).toBe(false);
    expect(await auditLog({ size, expectedRoot: root, read: reader(tiles) })).toMatchObject({
      ok: true,
      size,
    });
    bad.set(path, t.slice(0, 100));
    await expect(inclusionProofFromTiles(300, size, reader(bad))).rejects.toThrow(/bytes/);
  });

  it("entry bundles round-trip and refuse truncation", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (entries) => {
        const bytes = encodeBundle(entries);
        expect(parseBundle(bytes)).toEqual(entries);
        if (bytes.length > 0 && entries.some((e) => e.length > 0))
          expect(() => parseBundle(bytes.slice(0, -1))).toThrow(/truncated/);
      }),
    );
  });
});

describe("signed checkpoints", () => {
  it("verify under the log's key and refuse any change, another key or another origin", async () => {
    const keys = await generateSignerKey("healthpass.test/log");
    const signer = (await parseSignerKey(keys.signer))!;
    const body = formatCheckpoint({ origin: "healthpass.test/log", size: 42, root: leafHash(utf8("x")) });
    const signed = await signNote(body, signer);
    expect(await verifyCheckpoint(signed, keys.verifier)).toMatchObject({
      ok: true,
      checkpoint: { size: 42 },
    });
    expect(await verifyCheckpoint(signed.replace("\n42\n", "\n43\n"), keys.verifier)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const other = await generateSignerKey("healthpass.test/log");
    expect(await verifyCheckpoint(signed, other.verifier)).toEqual({
      ok: false,
      reason: "no_known_signature",
    });
    const elsewhere = await generateSignerKey("elsewhere");
    const foreign = await signNote(body, (await parseSignerKey(elsewhere.signer))!);
    expect(await verifyCheckpoint(foreign, elsewhere.verifier)).toEqual({
      ok: false,
      reason: "wrong_origin",
    });
  });
});
