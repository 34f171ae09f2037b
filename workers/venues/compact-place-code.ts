import { config } from "../config";
import { deriveSubkey } from "../identity/keys";
import { encodeBase64url } from "../lib/base64url";
import { perEnv } from "../lib/ttl-cache";

/**
 * The printed place code, compact: `{venue id without "ven_"}~{generation, base 36}~{MAC}`, e.g.
 * `Yq3n0J2dM1rKc9aP~1~h3Jf0aZx1kQm2Lr7`. A poster's QR is read from across a room by old phones in
 * poor light, so it must be small: the code is 35 characters, so https://<service>/c/{code} is a
 * version 4–5 symbol at level M for hosts up to ≈ 40 characters, and stays within version 6 (106
 * bytes) for hosts up to 60; the signed-token poster needed version ~12.
 *
 * MAC: HMAC-SHA-256 under a key derived (HKDF, its own label) from PERSON_ID_KEY, a secret that is
 * never rotated (rotating it would move every personId), so posters outlive signing-key rotation.
 * Truncated to 96 bits (16 characters, no partial character, so one spelling per code): there is
 * no offline attack without the key, and online each try is a request: 10^6 a second for a century
 * (≈ 2^51 tries) succeeds with probability ≈ 2^-45. Collisions between codes do not matter: the
 * venue and generation are in the code in clear and the MAC is checked against exactly them.
 *
 * `~` is unreserved in URLs (RFC 3986) and never in a compact JWS, so the two forms cannot be
 * confused; signed-token place codes (older posters, rotating screens) are still verified as before.
 */
export const COMPACT_MAC_BYTES = 12;
const SEPARATOR = "~";
const VENUE_SUFFIX = /^[A-Za-z0-9_-]{8,40}$/;
const GEN = /^[1-9a-z][0-9a-z]{0,6}$/;
const MAC_CHARS = (COMPACT_MAC_BYTES * 4) / 3;
const MAC = new RegExp(`^[A-Za-z0-9_-]{${MAC_CHARS}}$`);
const HMAC = { name: "HMAC", hash: "SHA-256", length: 256 };
/**
 * Codes whose MAC checked out, per isolate: a poster's one code is scanned all day, and each check
 * would otherwise compute an HMAC. Only codes that verified are kept, by their exact text, so a
 * forged code is always checked; a code holds no time (the venue's generation is checked by the
 * caller), so what verified once verifies again.
 */
const verifiedCodes = perEnv<{ venueId: string; gen: number }>(10_000);
const VERIFIED_KEPT_MS = 10 * 60_000;

const macKey = (env: Env) => deriveSubkey(config(env).personIdKey, "place-code-mac-v1", HMAC, ["sign"]);

async function mac(env: Env, venueId: string, gen: number): Promise<Uint8Array> {
  const message = new TextEncoder().encode(`place|${venueId}|${gen}`);
  const full = new Uint8Array(await crypto.subtle.sign("HMAC", await macKey(env), message));
  return full.subarray(0, COMPACT_MAC_BYTES);
}

export function isCompactPlaceCode(code: string): boolean {
  return code.includes(SEPARATOR);
}

export async function signCompactPlaceCode(env: Env, venueId: string, gen: number): Promise<string> {
  const suffix = venueId.replace(/^ven_/, "");
  if (!VENUE_SUFFIX.test(suffix) || !Number.isInteger(gen) || gen < 1)
    throw new RangeError("not a venue id and generation");
  return [suffix, gen.toString(36), encodeBase64url(await mac(env, venueId, gen))].join(SEPARATOR);
}

export type CompactCheck =
  | { ok: true; venueId: string; gen: number }
  | { ok: false; reason: "malformed" | "bad_signature" };

/** Checks the form and the MAC (in constant time); the caller checks the venue and generation. */
export async function verifyCompactPlaceCode(env: Env, code: string): Promise<CompactCheck> {
  const known = verifiedCodes(env).get(code);
  if (known) return { ok: true, ...known };
  const parts = code.split(SEPARATOR);
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [suffix, genText, macText] = parts as [string, string, string];
  if (!VENUE_SUFFIX.test(suffix) || !GEN.test(genText) || !MAC.test(macText))
    return { ok: false, reason: "malformed" };
  const venueId = `ven_${suffix}`;
  const gen = Number.parseInt(genText, 36);
  const expected = encodeBase64url(await mac(env, venueId, gen));
  let diff = 0;
  for (let i = 0; i < MAC_CHARS; i++) diff |= macText.charCodeAt(i) ^ expected.charCodeAt(i);
  if (diff !== 0) return { ok: false, reason: "bad_signature" };
  verifiedCodes(env).set(code, { venueId, gen }, Date.now() + VERIFIED_KEPT_MS);
  return { ok: true, venueId, gen };
}
