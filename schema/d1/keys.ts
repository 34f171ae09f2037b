import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const KEY_KINDS = ["lab", "device", "vaccination_site"] as const;

/** Machine credentials (labs, venue scanners, vaccination sites): only the SHA-256 is kept. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    keyId: text("key_id").primaryKey(),
    kind: text("kind", { enum: KEY_KINDS }).notNull(),
    /** The lab, venue or vaccination site the key acts for. */
    ownerId: text("owner_id").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    label: text("label"),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_keys_owner").on(t.ownerId)],
);

export const labs = sqliteTable("labs", {
  labId: text("lab_id").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
});

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type LabRow = typeof labs.$inferSelect;
