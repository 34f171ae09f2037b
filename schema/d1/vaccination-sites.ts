import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Vaccination sites, created by the authority; each gets a key (api_keys kind "vaccination_site"). */
export const vaccinationSites = sqliteTable("vaccination_sites", {
  siteId: text("site_id").primaryKey(),
  name: text("name").notNull(),
  districtCode: text("district_code").notNull(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
});

export type VaccinationSiteRow = typeof vaccinationSites.$inferSelect;
