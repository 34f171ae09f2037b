import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const APPEAL_KINDS = ["appeal", "question"] as const;
export const APPEAL_STATES = ["open", "answered"] as const;

/**
 * Appeals and questions about a person's code. The texts may hold personal data (symptoms, places,
 * names), so they are AES-GCM sealed like names and phones (workers/identity/pii.ts).
 */
export const appeals = sqliteTable(
  "appeals",
  {
    appealId: text("appeal_id").primaryKey(),
    personId: text("person_id").notNull(),
    /** The managing account that filed it (the person or a guardian). */
    accountId: text("account_id").notNull(),
    kind: text("kind", { enum: APPEAL_KINDS }).notNull(),
    textEnc: text("text_enc").notNull(),
    evidenceRefEnc: text("evidence_ref_enc"),
    state: text("state", { enum: APPEAL_STATES }).notNull(),
    createdAt: text("created_at").notNull(),
    answerEnc: text("answer_enc"),
    answeredAt: text("answered_at"),
    answeredBy: text("answered_by"),
    /** JSON of the authority event attached to the answer ({kind, occurredAt, reason}), if any. */
    event: text("event"),
    /** A check-in the person says they did not make (an appeal against one visit). */
    checkInId: text("check_in_id"),
    /** The answer upheld the appeal against `checkInId`: the check-in and its exposures are void. */
    upheld: integer("upheld", { mode: "boolean" }),
  },
  (t) => [
    index("appeals_state_created").on(t.state, t.createdAt),
    index("appeals_person").on(t.personId, t.createdAt),
  ],
);

export type AppealRow = typeof appeals.$inferSelect;
