import { sqliteTable, text } from "drizzle-orm/sqlite-core";

export const ISSUER_FORMATS = ["hc+jwt", "smart-health-card"] as const;
export const ISSUER_STATUSES = ["active", "suspended"] as const;

/**
 * The trust list: other regions' issuers (and SMART Health Cards issuers) whose codes we accept.
 * For a remote JWKS, `jwks` holds the last keys fetched successfully, so a failed refresh (or a cold
 * isolate while the issuer is down) still verifies with them.
 */
export const trustedIssuers = sqliteTable("trusted_issuers", {
  issuer: text("issuer").primaryKey(),
  name: text("name").notNull(),
  regionCode: text("region_code").notNull(),
  format: text("format", { enum: ISSUER_FORMATS }).notNull(),
  /** JSON array, e.g. ["ES256"]. */
  algorithms: text("algorithms").notNull(),
  jwksUri: text("jwks_uri"),
  /** JSON JWKS: the inline keys, or the last good fetch of jwksUri. */
  jwks: text("jwks"),
  /** JSON array of SMART Health Cards CRLs ({kid, method: "rid", ctr, rids}). */
  crls: text("crls"),
  status: text("status", { enum: ISSUER_STATUSES }).notNull(),
  keysFetchedAt: text("keys_fetched_at"),
  lastRefreshAt: text("last_refresh_at"),
  /** Why the last refresh failed; null after a good one. */
  lastRefreshError: text("last_refresh_error"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export type TrustedIssuerRow = typeof trustedIssuers.$inferSelect;
