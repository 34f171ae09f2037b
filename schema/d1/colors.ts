import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COLORS } from "../vocabulary";

/**
 * A queryable copy of each person's colour, written from the Durable Object's outbox. The object
 * stays the source of truth; these rows feed statistics and are never read to verify a code.
 */
export const colorSnapshots = sqliteTable(
  "color_snapshots",
  {
    personId: text("person_id").primaryKey(),
    color: text("color", { enum: COLORS }).notNull(),
    version: integer("version").notNull(),
    since: text("since").notNull(),
    districtCode: text("district_code"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("color_snapshots_color_district").on(t.color, t.districtCode)],
);

/** The change log: one row per colour change, unique per (person, version) so a replay is a no-op. */
export const colorChanges = sqliteTable(
  "color_changes",
  {
    personId: text("person_id").notNull(),
    version: integer("version").notNull(),
    fromColor: text("from_color"),
    toColor: text("to_color").notNull(),
    at: text("at").notNull(),
    /** JSON array of {rule, ruleVersion}. */
    rules: text("rules").notNull(),
    ruleSetVersion: text("rule_set_version"),
    districtCode: text("district_code"),
  },
  (t) => [primaryKey({ columns: [t.personId, t.version] }), index("color_changes_at").on(t.at)],
);
