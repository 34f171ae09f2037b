import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { persons } from "../../schema/d1/persons";
import { type TestResultRow, testResults } from "../../schema/d1/results";
import { chunk, D1_MAX_PARAMS } from "../lib/chunk";
import { groupByShard } from "../lib/shards";

/** SQLite (D1) binds at most 100 parameters a statement. */
const COLUMNS = 8;
/** Rows per multi-row INSERT: 12 × 8 = 96 parameters. */
export const INSERT_ROWS = Math.floor(D1_MAX_PARAMS / COLUMNS);
/** Sample ids per `IN (...)` lookup, leaving one parameter for the lab id. */
export const LOOKUP_IDS = D1_MAX_PARAMS - 1;

/**
 * Which of these samples this lab already reported: each looked up on its person's shard (results
 * live beside their person), one batch per shard, all shards at once.
 */
export async function knownSampleIds(
  env: Env,
  labId: string,
  samples: readonly { personId: string; sampleId: string }[],
): Promise<Set<string>> {
  if (samples.length === 0) return new Set();
  const perShard = await Promise.all(
    [...groupByShard(env, samples, (s) => s.personId)].map(async ([shard, part]) => {
      const d = drizzle(shard);
      const queries = chunk(
        part.map((s) => s.sampleId),
        LOOKUP_IDS,
      ).map((ids) =>
        d
          .select({ sampleId: testResults.sampleId })
          .from(testResults)
          .where(and(eq(testResults.labId, labId), inArray(testResults.sampleId, ids))),
      );
      return (await d.batch(queries as [(typeof queries)[number], ...typeof queries])).flat();
    }),
  );
  return new Set(perShard.flat().map((r) => r.sampleId));
}

/**
 * Stores the results (multi-row INSERT … ON CONFLICT DO NOTHING per chunk) and reads back the stored
 * row of every sample in the same batch, so that a result sent again with different content is still
 * applied as it was first stored: the same (lab, sample) is applied once, whatever was resent.
 * The read also says, per row, whether its person is in the directory (`persons`): only those have
 * applied and hold an object worth telling; the others read their results at `init`. The batch runs
 * as one transaction, so that check sees the directory as it is after the insert.
 */
export async function storeResults(
  env: Env,
  rows: readonly TestResultRow[],
): Promise<{ inserted: number; stored: TestResultRow[]; applied: Set<string> }> {
  // A result lives on its person's shard beside the directory row, so each shard's batch is still
  // one transaction covering both the insert and the directory check.
  const parts = await Promise.all(
    [...groupByShard(env, rows, (r) => r.personId)].map(([shard, part]) =>
      storeOnShard(drizzle(shard), part),
    ),
  );
  return {
    inserted: parts.reduce((n, p) => n + p.inserted, 0),
    stored: parts.flatMap((p) => p.stored),
    applied: new Set(parts.flatMap((p) => [...p.applied])),
  };
}

async function storeOnShard(
  d: DrizzleD1Database,
  rows: readonly TestResultRow[],
): Promise<{ inserted: number; stored: TestResultRow[]; applied: Set<string> }> {
  if (rows.length === 0) return { inserted: 0, stored: [], applied: new Set() };
  const labId = rows[0]!.labId;
  const inserts = chunk(rows, INSERT_ROWS).map((part) =>
    d.insert(testResults).values(part).onConflictDoNothing().returning({ sampleId: testResults.sampleId }),
  );
  const reads = chunk(
    rows.map((r) => r.sampleId),
    LOOKUP_IDS,
  ).map((ids) =>
    d
      .select({
        ...getTableColumns(testResults),
        // Written out qualified: drizzle renders a column of a one-table query unqualified, which
        // inside the sub-select would name the persons column on both sides.
        applied: sql<number>`EXISTS (SELECT 1 FROM ${persons} AS p WHERE p.person_id = ${sql.raw('"test_results"."person_id"')})`,
      })
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
  const read = (out.slice(inserts.length) as unknown as (TestResultRow & { applied: number })[][]).flat();
  const applied = new Set(read.filter((r) => r.applied).map((r) => r.personId));
  const stored = read.map(({ applied: _, ...row }) => row);
  return { inserted, stored, applied };
}
