import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Web Push subscriptions, per account. An endpoint is one browser's push resource, so it belongs to
 * at most one account: the one that registered it. Another account posting it gets 409 (a shared
 * phone changing hands: the first account deletes it, or it is pruned when the push service says 404/410).
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    /**
     * Random, and new if the endpoint is deleted and registered again (by any account), so a delivery
     * queued before can never reach the new holder. Queue messages carry this id, not the endpoint
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
