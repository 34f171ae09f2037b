import { decodeBase64url } from "../lib/base64url";

// importKey costs more than the HMAC or AES call it serves, so each secret is imported once per
// isolate. The promise is cached (not the key) so concurrent first requests share one import.
const cache = new Map<string, Promise<CryptoKey>>();

/**
 * A 32-byte secret from its base64url form. A wrong-sized secret is a deployment mistake, not bad
 * input, so it throws instead of silently weakening the key.
 */
export function importSecret(
  keyB64url: string,
  algorithm: SubtleCryptoImportKeyAlgorithm,
  usages: string[],
): Promise<CryptoKey> {
  const cacheKey = `${algorithm.name}:${keyB64url}`;
  let key = cache.get(cacheKey);
  if (!key) {
    const raw = decodeBase64url(keyB64url, { allowPadding: true });
    if (raw.length !== 32)
      throw new TypeError(`${algorithm.name} secret must be 32 bytes, got ${raw.length}`);
    key = crypto.subtle.importKey("raw", raw, algorithm, false, usages);
    // A rejected import must not poison the cache for the isolate's lifetime.
    key.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, key);
  }
  return key;
}

const derived = new Map<string, Promise<CryptoKey>>();

/**
 * A key derived from a 32-byte secret with HKDF-SHA-256 and a purpose label (`info`), so one secret
 * can serve several purposes without any two sharing a key. Derived once per isolate.
 */
export function deriveSubkey(
  secretB64url: string,
  info: string,
  algorithm: SubtleCryptoImportKeyAlgorithm,
  usages: string[],
): Promise<CryptoKey> {
  const cacheKey = `${info}:${algorithm.name}:${secretB64url}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = (async () => {
      const ikm = await importSecret(secretB64url, { name: "HKDF" }, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
        ikm,
        algorithm,
        false,
        usages,
      );
    })();
    key.catch(() => derived.delete(cacheKey));
    derived.set(cacheKey, key);
  }
  return key;
}
