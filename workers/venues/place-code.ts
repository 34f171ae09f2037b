import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { activeSigningKey, signingKeys } from "../codes/keys";
import { isCompactPlaceCode, signCompactPlaceCode, verifyCompactPlaceCode } from "./compact-place-code";

/**
 * Printed place codes are compact MAC'd codes (compact-place-code.ts: small QR on the poster).
 * Rotating codes, and posters printed before compact codes, are compact JWS signed with the same
 * ES256 keys as health codes, told apart by `typ`, so a health code can never pass as a place code
 * or the reverse. A MAC or signature (not a bare
 * venue id, as in the 2022 Henan incident) means nobody can print a code for a venue, or for a
 * venue id they guessed; `gen` lets a venue void every printed poster at once; the rotating kind
 * expires after a minute, so a forwarded photo of the screen is useless by the time it arrives.
 */
export const PLACE_TYP = "place+jwt";
export const PLACE_KINDS = ["printed", "rotating"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** Seconds a rotating code is accepted after its `exp`: the phone's clock and the upload's delay. */
export const ROTATING_GRACE_S = 10;

export interface PlaceClaims {
  venueId: string;
  kind: PlaceKind;
  gen: number;
  iat?: number;
  exp?: number;
}

export type PlaceFailure =
  | "malformed"
  | "unsupported_alg"
  | "unknown_key"
  | "bad_signature"
  | "expired"
  | "not_yet_valid";
export type PlaceCheck = { ok: true; claims: PlaceClaims } | { ok: false; reason: PlaceFailure };

const fail = (reason: PlaceFailure): PlaceCheck => ({ ok: false, reason });

/** The header says what it is and how it is signed; checked before any key is looked up. */
export function checkPlaceHeader(header: Record<string, unknown>): PlaceFailure | null {
  if (header.alg !== "ES256") return "unsupported_alg";
  if (header.typ !== PLACE_TYP || typeof header.kid !== "string") return "malformed";
  return null;
}

/** The claims of a correctly signed place code, at `nowS` (seconds). Pure: the time is given. */
export function checkPlaceClaims(
  payload: Record<string, unknown>,
  nowS: number,
  graceS = ROTATING_GRACE_S,
): PlaceCheck {
  const { venueId, kind, gen, iat, exp } = payload;
  if (typeof venueId !== "string" || !/^ven_[A-Za-z0-9_-]{8,40}$/.test(venueId)) return fail("malformed");
  if (kind !== "printed" && kind !== "rotating") return fail("malformed");
  if (typeof gen !== "number" || !Number.isInteger(gen) || gen < 1) return fail("malformed");
  if (kind === "rotating") {
    // A rotating code without an expiry would be a printed code by another name.
    if (typeof iat !== "number" || typeof exp !== "number" || exp <= iat) return fail("malformed");
    if (exp + graceS <= nowS) return fail("expired");
    if (iat - graceS > nowS) return fail("not_yet_valid");
    return { ok: true, claims: { venueId, kind, gen, iat, exp } };
  }
  return { ok: true, claims: { venueId, kind, gen } };
}

/**
 * Verifies a place code: a compact printed code by its MAC (compact-place-code.ts); a signed token
 * (posters printed before compact codes, rotating screens) by structure, pinned ES256, our key by
 * kid, signature, then the claims. Never throws. The caller checks the venue and its generation.
 */
export async function verifyPlaceCode(env: Env, token: string, nowMs = Date.now()): Promise<PlaceCheck> {
  if (isCompactPlaceCode(token)) {
    const compact = await verifyCompactPlaceCode(env, token);
    if (!compact.ok) return fail(compact.reason);
    return { ok: true, claims: { venueId: compact.venueId, kind: "printed", gen: compact.gen } };
  }
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    if (token.length > 2048 || token.split(".").length !== 3) return fail("malformed");
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    payload = decodeJwt(token) as Record<string, unknown>;
  } catch {
    return fail("malformed");
  }
  const bad = checkPlaceHeader(header);
  if (bad) return fail(bad);
  const key = (await signingKeys(env)).find((k) => k.kid === header.kid);
  if (!key) return fail("unknown_key");
  try {
    await compactVerify(token, key.publicKey, { algorithms: ["ES256"] });
  } catch {
    return fail("bad_signature");
  }
  return checkPlaceClaims(payload, Math.floor(nowMs / 1000));
}

/**
 * A printed code carries no time: the poster on the wall must keep working until `gen` is bumped. It
 * is the compact form (small QR); a rotating code is a signed token with a one-minute expiry.
 */
export async function signPlaceCode(
  env: Env,
  claims: { venueId: string; gen: number; kind: PlaceKind },
  ttlSeconds = 60,
  nowMs = Date.now(),
): Promise<{ placeCode: string; expiresAt: string | null }> {
  if (claims.kind === "printed")
    return { placeCode: await signCompactPlaceCode(env, claims.venueId, claims.gen), expiresAt: null };
  const key = await activeSigningKey(env, nowMs);
  const body: Record<string, unknown> = { venueId: claims.venueId, kind: claims.kind, gen: claims.gen };
  let expiresAt: string | null = null;
  if (claims.kind === "rotating") {
    const iat = Math.floor(nowMs / 1000);
    body.iat = iat;
    body.exp = iat + ttlSeconds;
    expiresAt = new Date((iat + ttlSeconds) * 1000).toISOString();
  }
  const placeCode = await new SignJWT(body)
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: PLACE_TYP })
    .sign(key.privateKey);
  return { placeCode, expiresAt };
}

/** The URL a phone camera opens: https://<service>/c/{placeCode}. */
export function checkInUrl(issuer: string, placeCode: string): string {
  return `${new URL(issuer).origin}/c/${placeCode}`;
}
