// Development secrets: generated once for `npm start` (.dev.vars) and freshly for every test run.
// Production secrets are set with `wrangler secret put` and never generated here.
import { webcrypto } from "node:crypto";

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

async function ecPrivateJwk() {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const { kty, crv, x, y, d } = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  return { kty, crv, x, y, d };
}

async function vapidKeys() {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey("raw", pair.publicKey));
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  return { VAPID_PUBLIC_KEY: b64url(raw), VAPID_PRIVATE_KEY: String(jwk.d) };
}

/** Every secret the Worker reads, as strings. */
export async function generateDevSecrets() {
  return {
    SIGNING_KEYS: JSON.stringify([await ecPrivateJwk()]),
    DEV_IDP_KEY: JSON.stringify(await ecPrivateJwk()),
    PERSON_ID_KEY: b64url(webcrypto.getRandomValues(new Uint8Array(32))),
    PII_KEY: b64url(webcrypto.getRandomValues(new Uint8Array(32))),
    ...(await vapidKeys()),
    // Not a secret, but development needs a contact push services accept (ISSUER_URL is http there).
    VAPID_SUBJECT: "mailto:healthpass-dev@example.org",
  };
}
