import { importJWK, type JWK } from "jose";
import { config } from "../config";

/** An OpenID provider whose ID tokens we accept. Algorithms, issuer and audience are always pinned. */
export interface IdentityProvider {
  issuer: string;
  audience: string;
  algorithms: string[];
  jwksUri?: string;
  jwks?: { keys: JWK[] };
  /** The provider verifies real names: its tokens may assert the holder's identity document. */
  assertsIdentity?: boolean;
  /**
   * Claim names carrying the asserted document; defaults `id_type` / `id_number` / `nationality`
   * (the passport's issuing state, ISO 3166-1 alpha-3: part of a passport identity).
   */
  identityClaims?: { idType: string; idNumber: string; nationality?: string };
}

export const DEV_AUDIENCE = "healthpass-dev";
/** The development provider's subject that holds the authority role (development mode only). */
export const DEV_AUTHORITY_SUBJECT = "dev-authority";

export function devIssuer(env: Env): string {
  return `${config(env).issuer}/dev`;
}

const devKeys = new WeakMap<object, Promise<{ privateKey: CryptoKey; publicJwk: JWK }>>();

/** The development provider's key pair, imported once per isolate. */
export function devProviderKey(env: Env) {
  let p = devKeys.get(env);
  if (!p) {
    p = (async () => {
      const devIdpKey = config(env).devIdpKey;
      if (!devIdpKey) throw new Error("DEV_IDP_KEY is not set");
      const jwk = JSON.parse(devIdpKey) as JWK;
      const { d: _d, ...publicJwk } = jwk;
      const privateKey = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
      return { privateKey, publicJwk: { ...publicJwk, alg: "ES256", use: "sig", kid: "dev-1" } };
    })();
    devKeys.set(env, p);
  }
  return p;
}

const parsed = new WeakMap<object, IdentityProvider[]>();

/** The configured providers, plus the development provider when development mode is on. */
export async function identityProviders(env: Env): Promise<IdentityProvider[]> {
  let list = parsed.get(env);
  if (!list) {
    list = config(env).idProviders as unknown as IdentityProvider[];
    if (config(env).devMode) {
      const { publicJwk } = await devProviderKey(env);
      list = [
        ...list,
        {
          issuer: devIssuer(env),
          audience: DEV_AUDIENCE,
          algorithms: ["ES256"],
          jwks: { keys: [publicJwk] },
          assertsIdentity: true,
        },
      ];
    }
    parsed.set(env, list);
  }
  return list;
}
