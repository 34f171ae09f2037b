import { config } from "../config";
import { deriveSubkey } from "../identity/keys";
import { encodeBase64url } from "../lib/base64url";

/**
 * A stable pseudonym of an acting account for the public log: a keyed hash (a subkey of
 * PERSON_ID_KEY for this purpose only), so the public can count one account's actions without
 * learning who it is, and nobody without the key can test a guessed `issuer|sub`.
 */
export async function actorPseudonym(env: Env, issuer: string, subject: string): Promise<string> {
  const key = await deriveSubkey(
    config(env).personIdKey,
    "healthpass log actor",
    { name: "HMAC", hash: "SHA-256", length: 256 },
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${issuer}|${subject}`));
  return `a_${encodeBase64url(new Uint8Array(mac).subarray(0, 12))}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}
