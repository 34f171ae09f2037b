import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COLORS } from "../vocabulary";

/**
 * Revocation entries as published in the CRLs: `rid` alone revokes every code carrying it (one printed
 * code), `rid` with `before` revokes the codes of that rid issued before it (all codes of a person).
 * Rows are kept after `until` for the record; they leave the published lists then, because every code
 * they could match has expired by that time.
 */
export const revocations = sqliteTable(
  "revocations",
  {
    /** Autoincrement, so max(id) is the CRL counter `ctr`. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    rid: text("rid").notNull(),
    /** NumericDate (seconds); null for a bare rid. */
    before: integer("before"),
    personId: text("person_id").notNull(),
    scope: text("scope", { enum: ["paper", "all"] }).notNull(),
    codeId: text("code_id"),
    reason: text("reason").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    /** ISO time after which no code this entry matches can still be valid. */
    until: text("until").notNull(),
  },
  (t) => [index("revocations_until").on(t.until), index("revocations_person").on(t.personId)],
);

/** Printed codes: kept so that one can be revoked (a lost printout) and its page printed again. */
export const paperCodes = sqliteTable(
  "paper_codes",
  {
    codeId: text("code_id").primaryKey(),
    personId: text("person_id").notNull(),
    /** The per-code rid the token carries. */
    rid: text("rid").notNull(),
    color: text("color", { enum: COLORS }).notNull(),
    version: integer("version").notNull(),
    issuedAt: text("issued_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    createdBy: text("created_by").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("paper_codes_person").on(t.personId, t.expiresAt)],
);

export type RevocationRow = typeof revocations.$inferSelect;
export type PaperCodeRow = typeof paperCodes.$inferSelect;
