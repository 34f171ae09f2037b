import { decodeBase64url, encodeBase64url } from "../lib/base64url";
import { importSecret } from "./keys";

const AES = { name: "AES-GCM", length: 256 };
const PREFIX = "v1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value is malformed or fails authentication (tampered, or another key). */
export class PiiDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PiiDecryptError";
  }
}

/**
 * Seals a name or phone number for storage: AES-256-GCM with a fresh random 96-bit IV each time
 * (GCM breaks completely if an IV repeats under one key). The "v1." prefix leaves room to rotate
 * the algorithm or key later without guessing what an old row holds.
 */
export async function encryptPii(keyB64url: string, plaintext: string): Promise<string> {
  const key = await importSecret(keyB64url, AES, ["encrypt", "decrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plaintext)),
  );
  const out = new Uint8Array(IV_BYTES + ct.length);
  out.set(iv);
  out.set(ct, IV_BYTES);
  return PREFIX + encodeBase64url(out);
}

export async function decryptPii(keyB64url: string, sealed: string): Promise<string> {
  if (!sealed.startsWith(PREFIX)) throw new PiiDecryptError("unknown PII format");
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64url(sealed.slice(PREFIX.length), { allowPadding: true });
  } catch {
    throw new PiiDecryptError("PII is not base64url");
  }
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new PiiDecryptError("PII is truncated");
  const key = await importSecret(keyB64url, AES, ["encrypt", "decrypt"]);
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES) },
      key,
      bytes.subarray(IV_BYTES),
    );
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(pt);
  } catch {
    throw new PiiDecryptError("PII failed authentication");
  }
}
