import { calculateJwkThumbprint } from "jose";
import type { FieldError } from "../http/problems";
import { jwkProblem } from "./validate";

export interface KidRefusal {
  /** Index in the JWKS's `keys`. */
  index: number;
  kid: string;
  thumbprint: string;
}

/**
 * SMART Health Cards (spec, "Determining keys associated with an issuer"): each key's `kid` SHALL be
 * the base64url SHA-256 JWK Thumbprint (RFC 7638) of the key. A verifier that trusts a kid the key
 * does not hash to lets a JWKS publish one key under another key's name, so such keys are refused,
 * as the SMART developer tools refuse them. A key without a kid is given its thumbprint (fetch.ts);
 * keys that fail jwkProblem are reported, or skipped, by the shape check.
 */
export async function shcKidRefusals(keys: readonly unknown[]): Promise<KidRefusal[]> {
  const out: KidRefusal[] = [];
  for (const [index, jwk] of keys.entries()) {
    if (typeof jwk !== "object" || jwk === null) continue;
    const k = jwk as Record<string, unknown>;
    if (jwkProblem(k) || k.kid === undefined) continue;
    const thumbprint = await calculateJwkThumbprint(
      { kty: "EC", crv: "P-256", x: k.x as string, y: k.y as string },
      "sha256",
    );
    if (k.kid !== thumbprint) out.push({ index, kid: String(k.kid), thumbprint });
  }
  return out;
}

export const kidRefusalMessage = (r: KidRefusal) =>
  `must be the RFC 7638 thumbprint of this key for a SMART Health Cards issuer (${r.thumbprint})`;

/** The problem+json errors for an inline JWKS, naming each refused key's kid. */
export const kidFieldErrors = (refusals: readonly KidRefusal[]): FieldError[] =>
  refusals.map((r) => ({ path: `jwks.keys.${r.index}.kid`, message: kidRefusalMessage(r) }));
