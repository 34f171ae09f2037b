import { config } from "../config";
import { deriveSubkey } from "../identity/keys";
import { decodeBase64url, encodeBase64url } from "../lib/base64url";

// The wrap key is derived from PII_KEY rather than being a new secret, so existing deployments need no
// new `wrangler secret put`; the HKDF info keeps it independent of the key that encrypts names.
const wrapKey = (env: Env) =>
  deriveSubkey(config(env).piiKey, "signing-key-wrap", { name: "AES-GCM", length: 256 }, [
    "encrypt",
    "decrypt",
  ]);

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
