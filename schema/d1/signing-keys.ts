import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Code-signing keys created by rotation. The private JWK is AES-GCM encrypted with a key derived from
 * PII_KEY (workers/codes/keys-wrap.ts), bound to the kid, so a D1 dump alone cannot sign codes.
 * Keys from the SIGNING_KEYS secret (the bootstrap key) get a row only once retired (`source: "secret"`,
 * no private part), so the secret can stay as it is while its key leaves the JWKS.
 */
export const signingKeyTable = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  source: text("source", { enum: ["generated", "secret"] }).notNull(),
  /** Public JWK (kty, crv, x, y) as JSON. */
  publicJwk: text("public_jwk").notNull(),
  /** base64url(iv ‖ AES-GCM ciphertext of the private JWK); null for secret-sourced rows. */
  privateJwkEnc: text("private_jwk_enc"),
  /** ISO time from which the key signs; until then it is only published. */
  activeFrom: text("active_from").notNull(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  /** Set once the key left the JWKS; it never signs or verifies our codes again. */
  retiredAt: text("retired_at"),
});

export type SigningKeyRow = typeof signingKeyTable.$inferSelect;
