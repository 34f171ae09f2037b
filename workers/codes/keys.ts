import { calculateJwkThumbprint, importJWK, type JWK } from "jose";

/** A code-signing key: a private P-256 JWK, optionally with the moment it starts signing. */
interface SigningKeyEntry extends JWK {
  /** ISO time from which this key signs; until then it is only published, so verifiers learn it early. */
  activeFrom?: string;
}

export interface SigningKey {
  kid: string;
  activeFrom: number;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: "ES256"; use: "sig" };
}

const cache = new Map<string, Promise<SigningKey[]>>();

/** Every configured key, imported once per isolate. The secret may hold several during a rotation. */
export function signingKeys(env: Env): Promise<SigningKey[]> {
  const raw = env.SIGNING_KEYS;
  let keys = cache.get(raw);
  if (!keys) {
    keys = Promise.all(
      (JSON.parse(raw) as SigningKeyEntry[]).map(async (entry) => {
        const { activeFrom, d: _d, ...pub } = entry;
        const publicPart = { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y };
        const kid = await calculateJwkThumbprint(publicPart, "sha256");
        const privateKey = (await importJWK(
          { ...publicPart, d: entry.d, alg: "ES256" },
          "ES256",
        )) as CryptoKey;
        const publicKey = (await importJWK({ ...publicPart, alg: "ES256" }, "ES256")) as CryptoKey;
        return {
          kid,
          publicKey,
          activeFrom: activeFrom ? Date.parse(activeFrom) : 0,
          privateKey,
          publicJwk: { ...publicPart, kid, alg: "ES256" as const, use: "sig" as const },
        };
      }),
    );
    cache.set(raw, keys);
  }
  return keys;
}

/** The key that signs now: the most recently activated one. */
export async function activeSigningKey(env: Env, now = Date.now()): Promise<SigningKey> {
  const usable = (await signingKeys(env)).filter((k) => k.activeFrom <= now);
  const key = usable.sort((a, b) => b.activeFrom - a.activeFrom)[0];
  if (!key) throw new Error("no active signing key");
  return key;
}

/** Published keys: every configured key, including ones not active yet and retired ones still in the secret. */
export async function publicJwks(env: Env) {
  return { keys: (await signingKeys(env)).map((k) => k.publicJwk) };
}
