import { index, sqliteTable, text, unique } from "drizzle-orm/sqlite-core";

/**
 * Test results as labs reported them, keyed by person id only: no identity number and no name
 * ever reach D1. Unique per (lab, sample) so a resent or redelivered result is stored once.
 */
export const testResults = sqliteTable(
  "test_results",
  {
    personId: text("person_id").notNull(),
    labId: text("lab_id").notNull(),
    sampleId: text("sample_id").notNull(),
    test: text("test", { enum: ["nucleic_acid", "antibody"] }).notNull(),
    result: text("result", { enum: ["positive", "negative"] }).notNull(),
    sampledAt: text("sampled_at").notNull(),
    reportedAt: text("reported_at").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [
    unique("test_results_lab_sample").on(t.labId, t.sampleId),
    index("test_results_person").on(t.personId, t.sampledAt),
  ],
);

export type TestResultRow = typeof testResults.$inferSelect;
