// Optional settings of the trust list and bundle; absent in wrangler.toml, so `wrangler types` cannot see them.
interface IssuerSettings {
  /** Tests only (vitest.config.ts): remote JWKS are fetched through this binding; production uses fetch. */
  ISSUER_FETCHER?: Fetcher;
  /** Our issuer's display name in the metadata document and the bundle. */
  ISSUER_NAME?: string;
  /** Our region code in the metadata document and the bundle (default CN-SC). */
  ISSUER_REGION_CODE?: string;
  /** Validity of the offline verifier bundle in hours (default 24). */
  BUNDLE_TTL_HOURS?: string;
}
interface Env extends IssuerSettings {}
declare namespace Cloudflare {
  interface Env extends IssuerSettings {}
}
