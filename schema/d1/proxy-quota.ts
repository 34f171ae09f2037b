import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// In the registry database (not a person shard): a bounded, day-windowed counter per account.
/**
 * New proxy requests (pending requests and refusals) per account and Asia/Shanghai day, counted by
 * one atomic upsert, so identity numbers cannot be probed in bulk (issue 17). Owner: the account.
 * Retention: rows of days before yesterday are deleted by the daily job. Capacity: at most one row
 * per account that filed a request that day (~40 B): even 10 M such accounts in a day is ~400 MB.
 */
export const proxyRequestCounters = sqliteTable(
  "proxy_request_counters",
  {
    accountId: text("account_id").notNull(),
    /** YYYY-MM-DD in Asia/Shanghai. */
    day: text("day").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);
