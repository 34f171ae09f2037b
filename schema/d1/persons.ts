import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The person directory. No identity number is stored: `personId` is a keyed HMAC of it.
 * Name and phone are AES-GCM ciphertexts; `maskedName` is what verifiers may see.
 */
export const persons = sqliteTable(
  "persons",
  {
    personId: text("person_id").primaryKey(),
    idType: text("id_type").notNull(),
    nameEnc: text("name_enc").notNull(),
    phoneEnc: text("phone_enc"),
    maskedName: text("masked_name").notNull(),
    nationality: text("nationality"),
    /** GB/T 2260 code of registration (resident ids) for statistics by district; null otherwise. */
    districtCode: text("district_code"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("persons_district").on(t.districtCode)],
);

export const RELATIONSHIPS = ["self", "parent", "child", "spouse", "other"] as const;

/** Which accounts manage which persons: one `self`, and at most five relatives. */
export const accountPersons = sqliteTable(
  "account_persons",
  {
    accountId: text("account_id").notNull(),
    personId: text("person_id").notNull(),
    relationship: text("relationship", { enum: RELATIONSHIPS }).notNull(),
    /** Whether the binding was made with a token asserting this identity (real-name verified). */
    verified: integer("verified", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.personId] }), index("account_persons_person").on(t.personId)],
);

export type PersonRow = typeof persons.$inferSelect;
export type AccountPersonRow = typeof accountPersons.$inferSelect;
