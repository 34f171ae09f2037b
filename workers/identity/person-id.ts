import { encodeBase64url } from "../lib/base64url";
import { normaliseIdNumber } from "./documents";
import { importSecret } from "./keys";

const HMAC = { name: "HMAC", hash: "SHA-256" };

/**
 * The opaque, stable id of a person: base64url(HMAC-SHA-256(key, input)) cut to 128 bits.
 * Keyed so that nobody without PERSON_ID_KEY can test a guessed identity number against an id
 * (the number space is small enough to enumerate). 128 bits keep collisions negligible at any
 * population size while staying short enough for QR codes.
 *
 * The input is "idType:number", except for a passport: "passport:NATIONALITY:number". Passport
 * numbers are unique only within their issuing state, so the state is part of the identity; every
 * route that names an identity requires `nationality` with a passport (checkIdentity). Other
 * document types keep their input unchanged, so their personIds did not move.
 */
export async function derivePersonId(
  keyB64url: string,
  identity: { idType: string; idNumber: string; nationality?: string | undefined },
): Promise<string> {
  const key = await importSecret(keyB64url, HMAC, ["sign"]);
  const message = new TextEncoder().encode(personIdInput(identity));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  return encodeBase64url(mac.subarray(0, 16));
}

/** What is hashed; never logged (it holds the number). */
function personIdInput(identity: {
  idType: string;
  idNumber: string;
  nationality?: string | undefined;
}): string {
  const idType = identity.idType.trim();
  const number = normaliseIdNumber(identity.idNumber);
  if (idType !== "passport") return `${idType}:${number}`;
  const nationality = (identity.nationality ?? "").trim().toUpperCase();
  // A caller that skipped checkIdentity must not silently key a passport without its state.
  if (!/^[A-Z]{3}$/.test(nationality)) throw new TypeError("a passport identity needs its nationality");
  return `passport:${nationality}:${number}`;
}

/** 16 bytes in base64url are 22 characters; the last one carries only 2 bits, hence [AQgw]. */
export function isPersonId(s: string): boolean {
  return /^[A-Za-z0-9_-]{21}[AQgw]$/.test(s);
}
