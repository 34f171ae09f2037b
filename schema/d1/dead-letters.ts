import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Queue messages that could not be applied (retries exhausted, or unparseable), kept so nothing is
 * lost and the authority can inspect and replay them. Keyed by the queue message id: a dead letter
 * delivered twice is stored once.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** The queue the message came from, when it can be told from its body; null if unknown. */
    originQueue: text("origin_queue"),
    /** The message body as JSON (carries person ids, never identity numbers or names). */
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    reason: text("reason"),
    receivedAt: text("received_at").notNull(),
    replayedAt: text("replayed_at"),
  },
  (t) => [index("dead_letters_received").on(t.receivedAt)],
);

export type DeadLetterRow = typeof deadLetters.$inferSelect;
