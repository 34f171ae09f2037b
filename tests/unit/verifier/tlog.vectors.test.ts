import { describe, expect, it } from "vitest";
import {
  encodeTileIndex,
  fromHex,
  leafHash,
  merkleRoot,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseTilePath,
  parseVerifierKey,
  sha256,
  signNote,
  tilePath,
  toBase64,
  toHex,
  utf8,
  verifierKeyString,
} from "../../../verifier/tlog";
import note from "../../vectors/go-sumdb-note/vectors.json";
import tlog from "../../vectors/go-sumdb-tlog/vectors.json";
import merkle from "../../vectors/rfc6962-merkle/vectors.json";

describe("RFC 6962 hashes (transparency-dev/merkle vectors)", () => {
  const leaves = merkle.leafInputs.map((h) => leafHash(fromHex(h)));
  it("hashes every leaf as the vectors do", () => {
    expect(leaves.map(toHex)).toEqual(merkle.nodeHashes[0]);
  });
  it("gives the published root for every prefix of the tree", () => {
    for (let n = 0; n <= leaves.length; n++)
      expect(toHex(merkleRoot(leaves.slice(0, n)))).toBe(merkle.rootHashes[n]);
  });
  it("the synchronous SHA-256 agrees with WebCrypto", async () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = crypto.getRandomValues(new Uint8Array(len));
      const want = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
      expect(toHex(sha256(data))).toBe(toHex(want));
    }
  });
});

describe("C2SP signed notes (Go sumdb/note vectors)", () => {
  it("accepts Go's verifier keys and refuses the mangled ones", async () => {
    expect(await parseVerifierKey(note.peterVerifierKey)).not.toBeNull();
    expect(await parseVerifierKey(note.enochVerifierKey)).not.toBeNull();
    for (const bad of note.badVerifierKeys) expect(await parseVerifierKey(bad)).toBeNull();
    const b = note.peterVerifierKey;
    for (let i = 0; i < b.length; i++) {
      const mangled = b.slice(0, i) + String.fromCharCode(b.charCodeAt(i) + 1) + b.slice(i + 1);
      expect(await parseVerifierKey(mangled), mangled).toBeNull();
    }
    expect(await parseVerifierKey(b.slice(0, -1))).toBeNull();
  });

  it("signs exactly as Go does (Ed25519 is deterministic) and the signer's key matches the verifier's", async () => {
    const signer = await parseSignerKey(note.peterSignerKey);
    expect(signer).not.toBeNull();
    expect(verifierKeyString(signer!.name, signer!.publicKey)).toBe(note.peterVerifierKey);
    expect(await signNote(note.text, signer!)).toBe(`${note.text}\n${note.peterSignatureLine}`);
  });

  it("opens a note signed by two keys, verifying the known one and ignoring the unknown", async () => {
    const peter = (await parseVerifierKey(note.peterVerifierKey))!;
    const enoch = (await parseVerifierKey(note.enochVerifierKey))!;
    const signed = `${note.text}\n${note.peterSignatureLine}${note.enochSignatureLine}`;
    expect(await openNote(signed, [peter])).toEqual({
      ok: true,
      text: note.text,
      verifiedBy: ["PeterNeumann"],
    });
    expect(await openNote(signed, [peter, enoch])).toMatchObject({
      ok: true,
      verifiedBy: ["PeterNeumann", "EnochRoot"],
    });
  });

  it("refuses a changed text, a changed signature and a note signed by no known key", async () => {
    const peter = (await parseVerifierKey(note.peterVerifierKey))!;
    const enoch = (await parseVerifierKey(note.enochVerifierKey))!;
    const changed = `${note.text.replace("cryptography", "cryptographY")}\n${note.peterSignatureLine}`;
    expect(await openNote(changed, [peter])).toEqual({ ok: false, reason: "bad_signature" });
    const sig = note.peterSignatureLine.replace("NIuGU", "NIuGV");
    expect(await openNote(`${note.text}\n${sig}`, [peter])).toEqual({ ok: false, reason: "bad_signature" });
    expect(await openNote(`${note.text}\n${note.peterSignatureLine}`, [enoch])).toEqual({
      ok: false,
      reason: "no_known_signature",
    });
    expect(await openNote(note.text, [peter])).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("checkpoints and tile paths (Go sumdb/tlog vectors)", () => {
  it("parses Go's tree note and refuses its bad ones", () => {
    const c = parseCheckpoint(tlog.checkpoint.text);
    expect(c).toMatchObject({ origin: tlog.checkpoint.origin, size: tlog.checkpoint.size, extensions: [] });
    expect(toBase64(c!.root)).toBe(toBase64(leafHash(utf8(tlog.checkpoint.rootIsLeafHashOf))));
    // Go's first bad note differs only in its origin, which Go fixes and C2SP leaves to the log.
    for (const bad of tlog.checkpoint.bad.filter((b) => !b.startsWith("not-")))
      expect(parseCheckpoint(bad), bad).toBeNull();
  });

  it("encodes tile indexes and partial widths as Go does (C2SP drops the height)", () => {
    for (const t of tlog.tilePaths) {
      const [, , , ...rest] = t.goPath.split("/");
      const want = rest.join("/");
      const ours = tilePath({
        level: t.level,
        index: t.index,
        width: t.goPath.includes(".p/") ? t.width : 256,
      });
      expect(ours.split("/").slice(2).join("/")).toBe(want);
      expect(parseTilePath(ours)).toEqual({
        level: t.level,
        index: t.index,
        width: t.goPath.includes(".p/") ? t.width : 256,
      });
    }
    expect(encodeTileIndex(1234067)).toBe("x001/x234/067");
    for (const bad of tlog.invalidTilePaths)
      expect(parseTilePath(bad.replace(/^tile\/3\//, "tile/"))).toBeNull();
    for (const bad of [
      "tile/0/x000/001",
      "tile/0/001.p/0",
      "tile/0/001.p/256",
      "tile/0/001.p/05",
      "tile/64/000",
    ])
      expect(parseTilePath(bad), bad).toBeNull();
  });
});
