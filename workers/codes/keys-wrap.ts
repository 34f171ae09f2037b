import { decodeBase64url, encodeBase64url } from "../encoding/base64url";

// The wrap key is derived from PII_KEY rather than being a new secret, so existing deployments need no
// new `wrangler secret put`; the HKDF info keeps it independent of the key that encrypts names.
const INFO = new TextEncoder().encode("signing-key-wrap");
const cache = new Map<string, Promise<CryptoKey>>();

function wrapKey(env: Env): Promise<CryptoKey> {
  let key = cache.get(env.PII_KEY);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey(
        "raw",
        decodeBase64url(env.PII_KEY, { allowPadding: true }),
        "HKDF",
        false,
        ["deriveKey"],
      );
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: INFO },
        ikm,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    key.catch(() => cache.delete(env.PII_KEY));
    cache.set(env.PII_KEY, key);
  }
  return key;
}

/** Encrypts a private JWK; the kid is the associated data, so a ciphertext cannot be moved to another row. */
export async function wrapPrivateJwk(env: Env, kid: string, jwk: object): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(jwk));
  const additionalData = new TextEncoder().encode(kid);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, await wrapKey(env), plain),
  );
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv);
  out.set(ct, iv.length);
  return encodeBase64url(out);
}

export async function unwrapPrivateJwk(env: Env, kid: string, wrapped: string): Promise<JsonWebKey> {
  const bytes = decodeBase64url(wrapped, { allowPadding: true });
  const additionalData = new TextEncoder().encode(kid);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData },
    await wrapKey(env),
    bytes.subarray(12),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as JsonWebKey;
}
