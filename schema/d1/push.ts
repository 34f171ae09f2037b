import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Web Push subscriptions, per account. An endpoint is one browser's push resource, so it belongs to
 * at most one account: the latest to subscribe it (a shared phone changing hands moves it).
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    /**
     * Random, and renewed when the endpoint moves to another account, so a delivery queued for the
     * previous account can never reach the new one. Queue messages carry this id, not the endpoint
     * (a capability URL to the device) or the keys.
     */
    id: text("id").primaryKey(),
    endpoint: text("endpoint").notNull().unique(),
    accountId: text("account_id").notNull(),
    /** The browser's P-256 public key and auth secret (RFC 8291 §3), base64url as it sent them. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: text("created_at").notNull(),
    lastSuccessAt: text("last_success_at"),
    /** Deliveries refused or deferred since the last success; for operators, never a reason to delete. */
    failures: integer("failures").notNull().default(0),
  },
  (t) => [index("push_subscriptions_account").on(t.accountId, t.createdAt)],
);

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
