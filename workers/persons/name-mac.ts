import { deriveSubkey } from "../identity/keys";
import { encodeBase64url } from "../lib/base64url";
import { normaliseName } from "../venues/names";

/**
 * A keyed MAC of a name's normalised form (the same normalisation as the staff look-up), so the
 * person's object can tell whether two names match without ever holding or decrypting one. Keyed by
 * a subkey of PII_KEY: without the key, a MAC cannot be tested against a list of common names.
 */
export async function nameMac(piiKey: string, name: string): Promise<string> {
  const key = await deriveSubkey(piiKey, "name-mac", { name: "HMAC", hash: "SHA-256", length: 256 }, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(normaliseName(name)));
  return encodeBase64url(new Uint8Array(mac).slice(0, 16));
}
