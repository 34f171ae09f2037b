import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COLORS } from "../vocabulary";

/**
 * One row per imported line, keyed by what makes a line the same line (person, source system and
 * since), written only after the line was queued: a line found here is known to be on its way, so a
 * re-sent chunk counts it as a duplicate and queues nothing.
 */
export const importLines = sqliteTable(
  "import_lines",
  {
    personId: text("person_id").notNull(),
    source: text("source").notNull(),
    since: text("since").notNull(),
    color: text("color", { enum: COLORS }).notNull(),
    importId: text("import_id"),
    importedAt: text("imported_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.source, t.since] }),
    index("import_lines_import").on(t.importId),
  ],
);
