import type { TestResultRow } from "../../schema/d1/results";
import { chunk } from "../lib/chunk";
import { groupByShard } from "../lib/shards";

// Plain statements over `json_each` rather than drizzle's builder: one bound JSON parameter carries
// any number of rows, so a shard takes one statement however many results come, and intake's CPU
// (the query builder and D1's per-statement wrapper were most of it under load) stays per shard, not
// per dozen rows. Column names are those of schema/d1/results.ts.

/** Which of these samples this lab already reported: one statement per shard (results live beside their person), all shards at once. */
export async function knownSampleIds(
  env: Env,
  labId: string,
  samples: readonly { personId: string; sampleId: string }[],
): Promise<Set<string>> {
  if (samples.length === 0) return new Set();
  const perShard = await Promise.all(
    [...groupByShard(env, samples, (s) => s.personId)].map(async ([shard, part]) => {
      const { results } = await shard
        .prepare(
          "SELECT sample_id FROM test_results WHERE lab_id = ?1 AND sample_id IN (SELECT value FROM json_each(?2))",
        )
        .bind(labId, JSON.stringify(part.map((s) => s.sampleId)))
        .all<{ sample_id: string }>();
      return results.map((r) => r.sample_id);
    }),
  );
  return new Set(perShard.flat());
}

const INSERT = `INSERT INTO test_results
  (person_id, lab_id, sample_id, test, result, sampled_at, reported_at, received_at)
  SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
         json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
         json_extract(value, '$[6]'), json_extract(value, '$[7]')
  FROM json_each(?1) WHERE true
  ON CONFLICT DO NOTHING`;

// The stored row of each given (lab, sample) pair whose person is in the directory (has applied):
// only those go to objects, so only those come back (a tenth of a busy batch, not all of it).
const READ = `SELECT t.person_id AS personId, t.lab_id AS labId, t.sample_id AS sampleId, t.test AS test,
         t.result AS result, t.sampled_at AS sampledAt, t.reported_at AS reportedAt,
         t.received_at AS receivedAt
  FROM (SELECT DISTINCT json_extract(value, '$[0]') AS lab, json_extract(value, '$[1]') AS sample
        FROM json_each(?1)) AS k
  JOIN test_results AS t ON t.lab_id = k.lab AND t.sample_id = k.sample
  WHERE EXISTS (SELECT 1 FROM persons AS p WHERE p.person_id = t.person_id)`;

/**
 * Stores the results (INSERT … ON CONFLICT DO NOTHING) and reads back, in the same batch, the stored
 * row of every sample whose person is in the directory (`persons`), so that a result sent again with
 * different content is still applied as it was first stored: the same (lab, sample) is applied once,
 * whatever was resent. Rows may come from several messages and labs (the consumer stores a whole
 * queue batch at once). Only persons in the directory have applied and hold an object worth telling
 * (`stored`); the others read their results at `init`. Each shard's batch runs as one
 * transaction, so that check sees the directory as it is after the insert. `inserted`: new rows.
 */
export async function storeResults(
  env: Env,
  rows: readonly TestResultRow[],
): Promise<{ inserted: number; stored: TestResultRow[] }> {
  const parts = await Promise.all(
    [...groupByShard(env, rows, (r) => r.personId)].map(([shard, part]) => storeOnShard(shard, part)),
  );
  return {
    inserted: parts.reduce((n, p) => n + p.inserted, 0),
    stored: parts.flatMap((p) => p.stored),
  };
}

/**
 * Rows per statement: one bound JSON text stays under D1's 2 MB value limit (a row is at most about
 * 400 bytes of JSON with the longest ids), whatever a full consumer batch brings to one shard.
 */
export const ROWS_PER_STATEMENT = 2_000;

async function storeOnShard(
  db: D1Database,
  rows: readonly TestResultRow[],
): Promise<{ inserted: number; stored: TestResultRow[] }> {
  if (rows.length === 0) return { inserted: 0, stored: [] };
  // One batch (one transaction) for every part: each read sees the directory after all the inserts.
  const parts = chunk(rows, ROWS_PER_STATEMENT);
  const inserts = parts.map((part) =>
    db
      .prepare(INSERT)
      .bind(
        JSON.stringify(
          part.map((r) => [
            r.personId,
            r.labId,
            r.sampleId,
            r.test,
            r.result,
            r.sampledAt,
            r.reportedAt,
            r.receivedAt,
          ]),
        ),
      ),
  );
  const reads = parts.map((part) =>
    db.prepare(READ).bind(JSON.stringify(part.map((r) => [r.labId, r.sampleId]))),
  );
  const answers = await db.batch<TestResultRow>([...inserts, ...reads]);
  return {
    inserted: answers.slice(0, parts.length).reduce((n, a) => n + (a.meta.changes ?? 0), 0),
    stored: answers.slice(parts.length).flatMap((a) => a.results ?? []),
  };
}
