import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Hourly counters of staff look-ups, counted atomically by one upsert: `key_id` is a scope
 * (`account:<id>` for the look-ups of all an account's venues). Rows of past hours are deleted by
 * the retention job, so the table holds one hour of active scopes. (Manual entries are counted in
 * each venue's object.)
 */
export const lookupCounters = sqliteTable(
  "lookup_counters",
  {
    keyId: text("key_id").notNull(),
    /** Start of the hour, ISO 8601 UTC. */
    hour: text("hour").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.hour] })],
);
