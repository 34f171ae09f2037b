// VAPID (RFC 8292) is signed here rather than by @block65/webcrypto-web-push's vapidHeaders for two
// reasons: that function re-imports the private key on every message (we import once per isolate),
// and it refuses http endpoints outright, while development mode delivers to http://127.0.0.1:<port>,
// whose origin must still be the token's `aud` for a push service to accept it.
import { config } from "../config";
import { decodeBase64url, encodeBase64url } from "../lib/base64url";

export interface VapidKeys {
  /** 65-byte uncompressed P-256 point, base64url (what browsers take as applicationServerKey). */
  publicKey: string;
  /** The private scalar: the JWK `d`, base64url. */
  privateKey: string;
  /** Contact for the push service operator: a mailto: or https: URI (RFC 8292 §2.1). */
  subject: string;
}

/** RFC 8292 §2 caps `exp` at 24 h; half of that tolerates clock skew at the push service. */
const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** A contact a push service operator can use (RFC 8292 §2.1); push services refuse anything else. */
export function checkVapidSubject(
  subject: string | undefined,
): { ok: true } | { ok: false; message: string } {
  const value = subject?.trim() ?? "";
  if (value === "")
    return { ok: false, message: "VAPID_SUBJECT is not set: set it to a mailto: or https: contact URI" };
  if (!/^mailto:[^@\s]+@[^@\s]+$/.test(value) && !/^https:\/\/[^\s/]+/.test(value))
    return {
      ok: false,
      message: `VAPID_SUBJECT ${JSON.stringify(value)} is not a mailto: or https: contact URI`,
    };
  return { ok: true };
}

/**
 * Keys from the Worker's secrets and the operator contact from VAPID_SUBJECT. Not ISSUER_URL: in
 * development that is http://localhost, which no push service accepts as a contact.
 */
export function vapidFromEnv(env: Env): VapidKeys {
  const cfg = config(env);
  return { publicKey: cfg.vapidPublicKey, privateKey: cfg.vapidPrivateKey, subject: cfg.vapidSubject };
}

// One slot: the secrets are fixed for an isolate's life, and a rotation starts new isolates.
let cached: { id: string; key: Promise<CryptoKey> } | undefined;

function signingKey(publicKey: string, privateKey: string): Promise<CryptoKey> {
  const id = `${publicKey}.${privateKey}`;
  if (cached?.id !== id) {
    const key = importVapidKey(publicKey, privateKey);
    cached = { id, key };
    // A failed import must not poison the isolate: let the next message try (and report) again.
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
  }
  return cached.key;
}

async function importVapidKey(publicKey: string, privateKey: string): Promise<CryptoKey> {
  const point = decodeBase64url(publicKey);
  if (point.length !== 65 || point[0] !== 0x04) {
    throw new Error("VAPID_PUBLIC_KEY is not a 65-byte uncompressed P-256 point");
  }
  const jwk: JsonWebKey = {
    kty: "EC",
    crv: "P-256",
    x: encodeBase64url(point.subarray(1, 33)),
    y: encodeBase64url(point.subarray(33, 65)),
    d: privateKey,
  };
  try {
    return await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  } catch (cause) {
    // workerd checks that (x, y) is the public point of d. Name the secrets: a mismatched pair
    // would otherwise surface as per-message failures far from the misconfiguration.
    throw new Error("VAPID_PRIVATE_KEY is malformed or does not belong to VAPID_PUBLIC_KEY", { cause });
  }
}

/**
 * The `Authorization: vapid t=…, k=…` value for one push resource. `aud` is the endpoint's origin
 * (scheme, host and a non-default port), which is what the push service compares against itself.
 */
export async function vapidAuthorization(
  endpoint: string,
  vapid: VapidKeys,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  if (!/^(mailto:|https:)/.test(vapid.subject))
    throw new Error("VAPID subject must be a mailto: or https: URI");
  const key = await signingKey(vapid.publicKey, vapid.privateKey);
  const json = (value: object) => encodeBase64url(new TextEncoder().encode(JSON.stringify(value)));
  const claims = {
    aud: new URL(endpoint).origin,
    exp: nowSeconds + TOKEN_LIFETIME_SECONDS,
    sub: vapid.subject,
  };
  const signingInput = `${json({ typ: "JWT", alg: "ES256" })}.${json(claims)}`;
  // WebCrypto's ECDSA output is already the fixed-length r‖s that JWS ES256 expects (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    new TextEncoder().encode(signingInput),
  );
  return `vapid t=${signingInput}.${encodeBase64url(signature)}, k=${vapid.publicKey}`;
}
