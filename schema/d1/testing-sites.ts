import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The public directory of testing sites. Opening hours and services are JSON (validated by
 * schema/wire/testing-sites.ts on the way in); searches load the matching district's rows and
 * filter in the Worker, so no geo index is needed at the size of one province's directory.
 */
export const testingSites = sqliteTable(
  "testing_sites",
  {
    siteId: text("site_id").primaryKey(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    districtCode: text("district_code").notNull(),
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    /** JSON `{"mon": [["08:00","18:00"]], ...}`, local time in Asia/Shanghai. */
    openingHours: text("opening_hours").notNull(),
    /** JSON array of "nucleic_acid" | "antibody". */
    services: text("services").notNull(),
    free: integer("free", { mode: "boolean" }).notNull(),
    phone: text("phone"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("testing_sites_district").on(t.districtCode)],
);

/**
 * A counter per public directory, bumped in the same batch as every change to it. Cached answers
 * are keyed by it, so a change makes every cached page unreachable at once (no purge needed).
 */
export const directoryVersions = sqliteTable("directory_versions", {
  directory: text("directory").primaryKey(),
  version: integer("version").notNull(),
});

export type TestingSiteRow = typeof testingSites.$inferSelect;
