import { and, eq, inArray, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { type TestResultRow, testResults } from "../../schema/d1/results";
import { chunks } from "./validate";

/** SQLite (D1) binds at most 100 parameters a statement. */
const MAX_PARAMS = 100;
const COLUMNS = 8;
/** Rows per multi-row INSERT: 12 × 8 = 96 parameters. */
export const INSERT_ROWS = Math.floor(MAX_PARAMS / COLUMNS);
/** Sample ids per `IN (...)` lookup, leaving one parameter for the lab id. */
export const LOOKUP_IDS = MAX_PARAMS - 1;

export const db = (env: Env): DrizzleD1Database => drizzle(env.DB);

/** Which of these sample ids this lab already reported: one statement per chunk, one round trip. */
export async function knownSampleIds(
  env: Env,
  labId: string,
  sampleIds: readonly string[],
): Promise<Set<string>> {
  if (sampleIds.length === 0) return new Set();
  const d = db(env);
  const queries = chunks(sampleIds, LOOKUP_IDS).map((ids) =>
    d
      .select({ sampleId: testResults.sampleId })
      .from(testResults)
      .where(and(eq(testResults.labId, labId), inArray(testResults.sampleId, ids))),
  );
  const rows = await d.batch(queries as [(typeof queries)[number], ...typeof queries]);
  return new Set(rows.flat().map((r) => r.sampleId));
}

/**
 * Stores the results (multi-row INSERT … ON CONFLICT DO NOTHING per chunk) and reads back the stored
 * row of every sample in the same batch, so that a result sent again with different content is still
 * applied as it was first stored: the same (lab, sample) is applied once, whatever was resent.
 */
export async function storeResults(
  env: Env,
  rows: readonly TestResultRow[],
): Promise<{ inserted: number; stored: TestResultRow[] }> {
  if (rows.length === 0) return { inserted: 0, stored: [] };
  const d = db(env);
  const labId = rows[0]!.labId;
  const inserts = chunks(rows, INSERT_ROWS).map((part) =>
    d.insert(testResults).values(part).onConflictDoNothing().returning({ sampleId: testResults.sampleId }),
  );
  const reads = chunks(
    rows.map((r) => r.sampleId),
    LOOKUP_IDS,
  ).map((ids) =>
    d
      .select()
      .from(testResults)
      .where(and(eq(testResults.labId, labId), inArray(testResults.sampleId, ids))),
  );
  const out = await d.batch([...inserts, ...reads] as unknown as [
    (typeof inserts)[number],
    ...(typeof inserts)[number][],
  ]);
  const inserted = (out.slice(0, inserts.length) as { sampleId: string }[][]).reduce(
    (n, r) => n + r.length,
    0,
  );
  const stored = (out.slice(inserts.length) as unknown as TestResultRow[][]).flat();
  return { inserted, stored };
}

/** A person's results, newest sample first (for the person's own view). */
export async function resultsOf(env: Env, personId: string): Promise<TestResultRow[]> {
  return db(env)
    .select()
    .from(testResults)
    .where(eq(testResults.personId, personId))
    .orderBy(sql`${testResults.sampledAt} DESC`)
    .all();
}
