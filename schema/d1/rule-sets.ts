import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every rule set the authority published. The active one is the latest by `seq`; a version label
 * is published once (a changed rule set needs a new label, so history entries stay unambiguous).
 */
export const ruleSets = sqliteTable("rule_sets", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  version: text("version").notNull().unique(),
  /** The RuleSet JSON, as validated by RuleSetSchema. */
  body: text("body").notNull(),
  publishedAt: text("published_at").notNull(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  /** The finished preview the publication was checked against (null: none was needed). */
  previewId: text("preview_id"),
});

export type RuleSetRow = typeof ruleSets.$inferSelect;
