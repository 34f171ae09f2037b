import { compactVerify, type JWK } from "jose";
import { type CompactJws, parseCompact } from "./compact";

/** Allowed clock difference between a scanner and the issuer, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/** The only algorithms this library implements; an issuer entry may narrow them, never widen them. */
export const SUPPORTED_ALGORITHMS = ["ES256"] as const;
export type Algorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export type Reason =
  | "malformed"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "unknown_issuer"
  | "unknown_key"
  | "unsupported_alg"
  | "revoked"
  | "bundle_expired";

export type Failure = { valid: false; reason: Reason };

export interface VerifiedJws extends CompactJws {
  kid: string | undefined;
  jwk: JWK;
}

export interface VerifyJwsOptions {
  /** Algorithms the caller accepts; intersected with SUPPORTED_ALGORITHMS. */
  algorithms: readonly string[];
}

const keyCache = new WeakMap<JWK, Promise<CryptoKey | null>>();

/**
 * Imports only the public coordinates, so a JWKS that accidentally carries `d` still yields a verify key,
 * and a key published for another algorithm or for encryption is never used to verify.
 */
function importEs256(jwk: JWK): Promise<CryptoKey | null> {
  let key = keyCache.get(jwk);
  if (!key) {
    key = (async () => {
      if (jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string")
        return null;
      if (jwk.alg !== undefined && jwk.alg !== "ES256") return null;
      if (jwk.use !== undefined && jwk.use !== "sig") return null;
      try {
        return await crypto.subtle.importKey(
          "jwk",
          { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
          { name: "ECDSA", namedCurve: "P-256" },
          false,
          ["verify"],
        );
      } catch {
        return null;
      }
    })();
    keyCache.set(jwk, key);
  }
  return key;
}

/**
 * Verifies a compact JWS against a key set with the algorithm pinned by the caller, never by the token.
 * With a `kid` only that key is tried; without one, only a single-key set is usable (no key guessing).
 */
export async function verifyJws(
  token: string,
  keys: readonly JWK[],
  options: VerifyJwsOptions,
): Promise<VerifiedJws | Failure> {
  const parsed = parseCompact(token);
  if (!parsed) return { valid: false, reason: "malformed" };
  const { alg, kid } = parsed.header;
  const allowed = SUPPORTED_ALGORITHMS.filter((a) => options.algorithms.includes(a));
  if (!allowed.some((a) => a === alg)) return { valid: false, reason: "unsupported_alg" };
  if (kid !== undefined && typeof kid !== "string") return { valid: false, reason: "malformed" };
  const jwk = kid === undefined ? (keys.length === 1 ? keys[0] : undefined) : keys.find((k) => k.kid === kid);
  if (!jwk) return { valid: false, reason: "unknown_key" };
  const key = await importEs256(jwk);
  if (!key) return { valid: false, reason: "unknown_key" };
  try {
    await compactVerify(token, key, { algorithms: [...allowed] });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      valid: false,
      reason: code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "bad_signature" : "malformed",
    };
  }
  return { ...parsed, kid, jwk };
}

export interface TimeClaims {
  iat?: unknown;
  nbf?: unknown;
  exp?: unknown;
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * NumericDate checks with the skew; fractional seconds are allowed (SMART Health Cards use them).
 * Returns `null` when the times are acceptable, `malformed` when a present claim is not a number.
 */
export function checkTimes(
  claims: TimeClaims,
  now: Date,
  skewSeconds = CLOCK_SKEW_SECONDS,
): "expired" | "not_yet_valid" | "malformed" | null {
  const nowSeconds = now.getTime() / 1000;
  for (const name of ["iat", "nbf", "exp"] as const) {
    if (claims[name] !== undefined && !isTime(claims[name])) return "malformed";
  }
  const { iat, nbf, exp } = claims as { iat?: number; nbf?: number; exp?: number };
  if (exp !== undefined && nowSeconds > exp + skewSeconds) return "expired";
  if (nbf !== undefined && nbf > nowSeconds + skewSeconds) return "not_yet_valid";
  if (iat !== undefined && iat > nowSeconds + skewSeconds) return "not_yet_valid";
  return null;
}

export function isoFromNumericDate(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}
