import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// In the registry database: one row per chunk of a named import, keyed by the import, not a person.
/**
 * The answer given to each chunk of a named import (`?importId=&chunk=`), so that a client which
 * lost an answer and sends the chunk again gets the same counts back instead of "all duplicates".
 */
export const importChunks = sqliteTable(
  "import_chunks",
  {
    importId: text("import_id").notNull(),
    chunk: integer("chunk").notNull(),
    /** JSON `{accepted, duplicates, rejected}` as first answered. */
    receipt: text("receipt").notNull(),
    at: text("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.chunk] })],
);
