import { deriveSubkey } from "../identity/keys";
import { encodeBase64url } from "../lib/base64url";

// Revocation ids are published in public CRLs, so they are keyed hashes: without PERSON_ID_KEY nobody
// can tell whose codes a list entry revokes, and the person id never appears in clear. The HKDF info
// keeps this key independent of the one that derives person ids themselves.
/** 8 bytes → 11 base64url characters, the length SMART Health Cards use for `rid`. */
export const RID_BYTES = 8;

const ridKey = (personIdKey: string) =>
  deriveSubkey(personIdKey, "rid", { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign"]);

async function keyedHash(personIdKey: string, message: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await ridKey(personIdKey), new TextEncoder().encode(message));
  return encodeBase64url(new Uint8Array(mac).subarray(0, RID_BYTES));
}

/** The rid every live code of a person carries; `rid.timestamp` revokes all their codes issued before. */
export function personRid(personIdKey: string, personId: string): Promise<string> {
  return keyedHash(personIdKey, `person:${personId}`);
}

/** A printed code's own rid, so one lost printout is revoked without touching the person's other codes. */
export function paperRid(personIdKey: string, personId: string, codeId: string): Promise<string> {
  return keyedHash(personIdKey, `paper:${personId}:${codeId}`);
}
