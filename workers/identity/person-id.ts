import { encodeBase64url } from "../lib/base64url";
import { normaliseIdNumber } from "./documents";
import { importSecret } from "./keys";

const HMAC = { name: "HMAC", hash: "SHA-256" };

/**
 * The opaque, stable id of a person: base64url(HMAC-SHA-256(key, "idType:number")) cut to 128 bits.
 * Keyed so that nobody without PERSON_ID_KEY can test a guessed identity number against an id
 * (the number space is small enough to enumerate). 128 bits keep collisions negligible at any
 * population size while staying short enough for QR codes.
 *
 * Nationality is deliberately not part of the input: lab results and authority events carry only
 * idType and idNumber, and they must land on the same person.
 */
export async function derivePersonId(
  keyB64url: string,
  identity: { idType: string; idNumber: string },
): Promise<string> {
  const key = await importSecret(keyB64url, HMAC, ["sign"]);
  const message = new TextEncoder().encode(
    `${identity.idType.trim()}:${normaliseIdNumber(identity.idNumber)}`,
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  return encodeBase64url(mac.subarray(0, 16));
}

/** 16 bytes in base64url are 22 characters; the last one carries only 2 bits, hence [AQgw]. */
export function isPersonId(s: string): boolean {
  return /^[A-Za-z0-9_-]{21}[AQgw]$/.test(s);
}
