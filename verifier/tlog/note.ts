// C2SP signed-note with Ed25519 (algorithm byte 0x01), through WebCrypto, which workerd, browsers and
// Node 22 all implement. Key strings are Go's `sumdb/note` formats:
//   verifier  <name>+<8 hex key hash>+<base64(0x01 || 32-byte public key)>
//   signer    PRIVATE+KEY+<name>+<8 hex key hash>+<base64(0x01 || 32-byte seed)>
// The key hash is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key).

import { concat, equalBytes, fromBase64, toBase64, toHex, utf8 } from "./bytes";
import { sha256 } from "./sha256";

const ALG_ED25519 = 0x01;
const SIG_PREFIX = "\u2014 ";
const MAX_SIGNATURES = 100;

export interface NoteVerifier {
  name: string;
  keyHash: Uint8Array;
  key: CryptoKey;
  /** The verifier key string it was made from. */
  text: string;
}

export interface NoteSigner {
  name: string;
  keyHash: Uint8Array;
  privateKey: CryptoKey;
  publicKey: Uint8Array;
}

function validName(name: string): boolean {
  return name.length > 0 && !/[+\s]/u.test(name) && !/[\u2000-\u200a\u2028\u2029\u3000\u00a0]/u.test(name);
}

/** Splits at the first n-1 '+' (the base64 key may itself contain '+'). */
function splitPlus(text: string, n: number): string[] | null {
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < n - 1; i++) {
    const at = rest.indexOf("+");
    if (at < 0) return null;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

export function keyHash(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concat(utf8(name), new Uint8Array([0x0a, ALG_ED25519]), publicKey)).slice(0, 4);
}

export function verifierKeyString(name: string, publicKey: Uint8Array): string {
  return `${name}+${toHex(keyHash(name, publicKey))}+${toBase64(concat(new Uint8Array([ALG_ED25519]), publicKey))}`;
}

/** Parses a verifier key string; null when malformed or its key hash does not match. */
export async function parseVerifierKey(text: string): Promise<NoteVerifier | null> {
  const parts = splitPlus(text, 3);
  if (!parts) return null;
  const [name, hashHex, keyB64] = parts as [string, string, string];
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(hashHex)) return null;
  const raw = fromBase64(keyB64);
  if (raw?.length !== 33 || raw[0] !== ALG_ED25519) return null;
  const pub = raw.slice(1);
  const hash = keyHash(name, pub);
  if (toHex(hash) !== hashHex) return null;
  try {
    const key = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    return { name, keyHash: hash, key, text };
  } catch {
    return null;
  }
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): WebCrypto imports private keys only this way.
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** Parses a signer key string; null when malformed or its key hash does not match its public key. */
export async function parseSignerKey(text: string): Promise<NoteSigner | null> {
  const parts = splitPlus(text, 5);
  if (parts?.[0] !== "PRIVATE" || parts[1] !== "KEY") return null;
  const [, , name, hashHex, keyB64] = parts as [string, string, string, string, string];
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(hashHex)) return null;
  const raw = fromBase64(keyB64);
  if (raw?.length !== 33 || raw[0] !== ALG_ED25519) return null;
  try {
    const privateKey = await crypto.subtle.importKey(
      "pkcs8",
      concat(PKCS8_ED25519_PREFIX, raw.slice(1)),
      { name: "Ed25519" },
      true,
      ["sign"],
    );
    const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
    const publicKey = fromBase64Url(jwk.x ?? "");
    if (publicKey?.length !== 32) return null;
    const hash = keyHash(name, publicKey);
    if (toHex(hash) !== hashHex) return null;
    return { name, keyHash: hash, privateKey, publicKey };
  } catch {
    return null;
  }
}

/** Generates a signer key string (development and tests). */
export async function generateSignerKey(name: string): Promise<{ signer: string; verifier: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const seed = pkcs8.slice(pkcs8.length - 32);
  const pub = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const hash = toHex(keyHash(name, pub));
  return {
    signer: `PRIVATE+KEY+${name}+${hash}+${toBase64(concat(new Uint8Array([ALG_ED25519]), seed))}`,
    verifier: verifierKeyString(name, pub),
  };
}

function fromBase64Url(s: string): Uint8Array | null {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  return fromBase64(std + "=".repeat((4 - (std.length % 4)) % 4));
}

/** Signs the note text (which must end in a newline) and returns the signed note. */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  if (!text.endsWith("\n") || text.includes("\n\n") || !isValidNoteText(text))
    throw new Error("note text must be non-empty lines ending in a newline");
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, signer.privateKey, utf8(text)));
  return `${text}\n${SIG_PREFIX}${signer.name} ${toBase64(concat(signer.keyHash, sig))}\n`;
}

function isValidNoteText(text: string): boolean {
  // Go's note: UTF-8 without control characters other than newline.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return false;
  }
  return true;
}

export type OpenResult =
  | { ok: true; text: string; verifiedBy: string[] }
  | { ok: false; reason: "malformed" | "no_known_signature" | "bad_signature" };

/**
 * Opens a signed note: the text verifies when at least one known key signed it and no signature by a
 * known key (same name and key hash) is invalid. Signatures by unknown keys are ignored, as the spec says.
 */
export async function openNote(note: string, verifiers: readonly NoteVerifier[]): Promise<OpenResult> {
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) return { ok: false, reason: "malformed" };
  const text = note.slice(0, split + 1);
  if (!isValidNoteText(text) || text.includes("\n\n")) return { ok: false, reason: "malformed" };
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length === 0 || lines.length > MAX_SIGNATURES) return { ok: false, reason: "malformed" };
  const verifiedBy: string[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) return { ok: false, reason: "malformed" };
    const [name, b64, ...rest] = line.slice(SIG_PREFIX.length).split(" ");
    if (!name || !b64 || rest.length > 0 || !validName(name)) return { ok: false, reason: "malformed" };
    const raw = fromBase64(b64);
    if (!raw || raw.length < 5) return { ok: false, reason: "malformed" };
    const hash = raw.slice(0, 4);
    const v = verifiers.find((k) => k.name === name && equalBytes(k.keyHash, hash));
    if (!v) continue;
    const ok =
      raw.length === 68 &&
      (await crypto.subtle.verify({ name: "Ed25519" }, v.key, raw.slice(4), utf8(text)).catch(() => false));
    if (!ok) return { ok: false, reason: "bad_signature" };
    verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) return { ok: false, reason: "no_known_signature" };
  return { ok: true, text, verifiedBy };
}
