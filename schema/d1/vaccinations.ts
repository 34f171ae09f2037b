import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per administered dose, unique per (site, the site's record id) so that a batch sent
 * twice is stored once. No identity number or name: only the person id.
 */
export const vaccinationRecords = sqliteTable(
  "vaccination_records",
  {
    siteId: text("site_id").notNull(),
    recordId: text("record_id").notNull(),
    personId: text("person_id").notNull(),
    product: text("product").notNull(),
    dose: integer("dose").notNull(),
    /** YYYY-MM-DD or an ISO time, as the site reported it. */
    date: text("date").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.recordId] }),
    index("vaccination_records_person").on(t.personId),
  ],
);

export type VaccinationRecordRow = typeof vaccinationRecords.$inferSelect;
