import { SignJWT } from "jose";
import type { Color } from "../../durable/rules/facts";
import { config } from "../config";
import { activeSigningKey } from "./keys";

export const CODE_TYP = "hc+jwt";

export interface CodeClaims {
  sub: string;
  color: Color;
  ver: number;
  kind?: "live" | "paper";
  /** Revocation id: a keyed hash (workers/revocation/rid.ts), never the person id in clear. */
  rid?: string;
}

export interface SignedCode {
  token: string;
  issuedAt: string;
  expiresAt: string;
}

/** Signs a code: nothing about the person beyond the opaque personId, the colour and its version. */
export async function signCode(env: Env, claims: CodeClaims, ttlSeconds: number): Promise<SignedCode> {
  const key = await activeSigningKey(env);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({
    color: claims.color,
    ver: claims.ver,
    ...(claims.kind ? { kind: claims.kind } : {}),
    ...(claims.rid ? { rid: claims.rid } : {}),
  })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: CODE_TYP })
    .setIssuer(config(env).issuer)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return {
    token,
    issuedAt: new Date(iat * 1000).toISOString(),
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}
