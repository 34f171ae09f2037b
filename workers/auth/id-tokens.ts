import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, type JWTVerifyGetKey, jwtVerify } from "jose";
import { config } from "../config";
import { perEnv } from "../lib/ttl-cache";
import type { PersonCaller } from "./caller";
import { hashToId } from "./hashing";
import { DEV_AUTHORITY_SUBJECT, devIssuer, type IdentityProvider, identityProviders } from "./providers";

export type IdTokenCheck = { ok: true; caller: PersonCaller } | { ok: false; reason: string };

const keySets = new Map<string, JWTVerifyGetKey>();

function keySetOf(p: IdentityProvider): JWTVerifyGetKey {
  const cacheKey = `${p.issuer}|${p.jwksUri ?? JSON.stringify(p.jwks)}`;
  let ks = keySets.get(cacheKey);
  if (!ks) {
    if (p.jwksUri) {
      ks = createRemoteJWKSet(new URL(p.jwksUri), {
        timeoutDuration: 3000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
    } else if (p.jwks) {
      ks = createLocalJWKSet(p.jwks);
    } else {
      throw new Error(`identity provider ${p.issuer} has neither jwksUri nor jwks`);
    }
    keySets.set(cacheKey, ks);
  }
  return ks;
}

/**
 * Verifies an ID token against the provider named by its (unverified) `iss`, with that provider's
 * pinned algorithms and audience. Detail of a failure is for logs; callers answer a plain 401.
 */
export async function verifyIdToken(env: Env, token: string): Promise<IdTokenCheck> {
  // An app refreshes its code every few minutes with the same ID token: a verified token is reused
  // until it expires (at most five minutes), saving a signature check per request.
  const cached = verifiedTokens(env).get(token);
  if (cached) return { ok: true, caller: cached };
  const check = await verifyUncached(env, token);
  if (check.ok) {
    const exp = (decodeJwt(token).exp ?? 0) * 1000;
    verifiedTokens(env).set(token, check.caller, Math.min(exp, Date.now() + VERIFIED_TOKEN_TTL_MS));
  }
  return check;
}

const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const verifiedTokens = perEnv<PersonCaller>();

async function verifyUncached(env: Env, token: string): Promise<IdTokenCheck> {
  let iss: string | undefined;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  const provider = (await identityProviders(env)).find((p) => p.issuer === iss);
  if (!provider) return { ok: false, reason: "unknown issuer" };
  try {
    const { payload } = await jwtVerify(token, keySetOf(provider), {
      issuer: provider.issuer,
      audience: provider.audience,
      algorithms: provider.algorithms,
      clockTolerance: 60,
      requiredClaims: ["sub", "exp", "iat"],
    });
    // jose checks `iat` only with maxTokenAge; a token issued in the future is not yet valid.
    if (typeof payload.iat !== "number" || payload.iat - 60 > Date.now() / 1000)
      return { ok: false, reason: "iat in the future" };
    const subject = String(payload.sub);
    const claims = provider.identityClaims ?? { idType: "id_type", idNumber: "id_number" };
    const idType = payload[claims.idType];
    const idNumber = payload[claims.idNumber];
    const nationality = payload[claims.nationality ?? "nationality"];
    const cfg = config(env);
    const isDev = cfg.devMode && provider.issuer === devIssuer(env);
    const actor = `${provider.issuer}|${subject}`;
    return {
      ok: true,
      caller: {
        kind: "person",
        accountId: await hashToId("acct", actor),
        issuer: provider.issuer,
        subject,
        actor,
        isAuthority: cfg.authoritySubjects.has(actor) || (isDev && subject === DEV_AUTHORITY_SUBJECT),
        ...(provider.assertsIdentity && typeof idType === "string" && typeof idNumber === "string"
          ? {
              asserted: {
                idType,
                idNumber,
                ...(typeof nationality === "string" ? { nationality } : {}),
                ...(typeof payload.name === "string" && payload.name.trim() ? { name: payload.name } : {}),
              },
            }
          : {}),
      },
    };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
