import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The districts that have a counter object (durable/district-counter.ts), so the statistics route
 * knows which to ask without a global object. One row per district ever counted (China has about
 * 3,000 county-level codes, plus "none" for persons without one): it does not grow with events.
 * Written once by each counter when it first counts someone.
 */
export const counterDistricts = sqliteTable("counter_districts", {
  /** A GB/T 2260 district code, or "none". */
  counter: text("counter").primaryKey(),
  firstCountedAt: text("first_counted_at").notNull(),
});
