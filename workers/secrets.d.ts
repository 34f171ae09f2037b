// Secrets are not in wrangler.toml, so `wrangler types` cannot see them; declared here once.
interface HealthpassSecrets {
  /** JSON array of private P-256 JWKs (optionally with `activeFrom`); see workers/codes/keys.ts. */
  SIGNING_KEYS: string;
  /** base64url 32 bytes: HMAC key deriving personId from an identity. */
  PERSON_ID_KEY: string;
  /** base64url 32 bytes: AES-256-GCM key for names and phone numbers at rest. */
  PII_KEY: string;
  VAPID_PUBLIC_KEY: string;
  VAPID_PRIVATE_KEY: string;
  /** The public log's Ed25519 note signer key, `PRIVATE+KEY+<LOG_ORIGIN>+<hash>+<base64>` (Go note format). */
  LOG_SIGNING_KEY: string;
  /** Private P-256 JWK of the development identity provider (development mode only). */
  DEV_IDP_KEY?: string;
}
interface Env extends HealthpassSecrets {}
declare namespace Cloudflare {
  interface Env extends HealthpassSecrets {}
}
