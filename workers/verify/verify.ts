import type { z } from "@hono/zod-openapi";
import { compactVerify, decodeJwt, decodeProtectedHeader } from "jose";
import { COLORS, type Color } from "../../schema/vocabulary";
import type { RefusedCodeSchema, VerifiedCodeSchema } from "../../schema/wire/verify";
import { findPublishedKey } from "../codes/keys";
import { CODE_TYP } from "../codes/sign";
import { config } from "../config";
import { revocationList } from "../revocation/cache";
import { isRevoked } from "../revocation/crl";

const CLOCK_TOLERANCE_S = 60;

type Refused = z.infer<typeof RefusedCodeSchema>;
/** One of our codes verified: the answer of /v1/verify less what only the route adds, plus the person. */
export type Verified =
  | (Omit<z.infer<typeof VerifiedCodeSchema>, "issuerName"> & { personId: string })
  | Refused;
type Failure = Refused["reason"];

const fail = (reason: Failure): Verified => ({ valid: false, reason });

export interface VerifyOptions {
  /** Skip the person's Durable Object: signature and expiry only (what an offline verifier can do). */
  signatureOnly?: boolean;
}

/**
 * Verifies one of our codes: pinned ES256, our issuer, key by kid, signature, expiry, then the
 * person's colour now from their Durable Object. Never throws on garbage: every failure is a reason.
 */
export async function verifyOwnCode(env: Env, token: string, opts: VerifyOptions = {}): Promise<Verified> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (token.split(".").length !== 3) return fail("malformed");
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    return fail("malformed");
  }
  if (header.alg !== "ES256") return fail("unsupported_alg");
  if (header.typ !== CODE_TYP) return fail("malformed");
  if (claims.iss !== config(env).issuer) return fail("unknown_issuer");
  // Retired keys are not found: every code they signed has expired, and a leaked old key signs nothing.
  const key = await findPublishedKey(env, header.kid);
  if (!key) return fail("unknown_key");
  try {
    await compactVerify(token, key.publicKey, { algorithms: ["ES256"] });
  } catch {
    return fail("bad_signature");
  }
  const { sub, color, ver, iat, exp, nbf, kind, rid } = claims as Record<string, unknown>;
  if (
    typeof sub !== "string" ||
    typeof color !== "string" ||
    !(COLORS as readonly string[]).includes(color) ||
    typeof ver !== "number" ||
    typeof iat !== "number" ||
    typeof exp !== "number" ||
    (rid !== undefined && typeof rid !== "string") ||
    (nbf !== undefined && typeof nbf !== "number")
  ) {
    return fail("malformed");
  }
  // Revoked before expired: a revocation is the issuer's deliberate, lasting word about this code.
  if (typeof rid === "string") {
    const { entries } = await revocationList(env);
    if (isRevoked(entries, rid, iat, Date.now())) return fail("revoked");
  }
  const now = Date.now() / 1000;
  if (exp + CLOCK_TOLERANCE_S <= now) return fail("expired");
  // We never sign `nbf`, but a code that carries one must honour it (RFC 7519 §4.1.5).
  if (iat - CLOCK_TOLERANCE_S > now || (typeof nbf === "number" && nbf - CLOCK_TOLERANCE_S > now)) {
    return fail("not_yet_valid");
  }
  const tokenColor = color as Color;
  const base = {
    valid: true as const,
    tokenColor,
    issuer: claims.iss,
    issuedAt: new Date(iat * 1000).toISOString(),
    expiresAt: new Date(exp * 1000).toISOString(),
    kind: kind === "paper" ? ("paper" as const) : ("live" as const),
    personId: sub,
  };
  if (opts.signatureOnly) return { ...base, color: tokenColor, current: true, stateChecked: false };
  const state = await env.PERSON.getByName(sub).summary();
  if (!state) return fail("unknown_person");
  return { ...base, color: state.color, current: state.version === ver, stateChecked: true };
}
