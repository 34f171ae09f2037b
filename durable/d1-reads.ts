import { desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type TestResultRow, testResults } from "../schema/d1/results";
import { ruleSets } from "../schema/d1/rule-sets";
import { type VaccinationRecordRow, vaccinationRecords } from "../schema/d1/vaccinations";
import { personDb, shardDatabases } from "../workers/lib/shards";
import type { RuleSet } from "./rules/rule-set";

// What a person's object reads from D1 when it is created. Here rather than in a route area's
// repository so that `durable/` never imports `workers/` (the Worker imports the objects, not back).

const db = (env: Env) => drizzle(env.DB);

/** The rule set in force: the latest published. Null while only the built-in default exists. */
export async function activeRuleSet(env: Env): Promise<{ seq: number; ruleSet: RuleSet } | null> {
  const row = await db(env).select().from(ruleSets).orderBy(desc(ruleSets.seq)).limit(1).get();
  return row ? { seq: row.seq, ruleSet: JSON.parse(row.body) as RuleSet } : null;
}

/** A person's results, newest sample first (what a person's object reads when they apply). */
export async function resultsOf(env: Env, personId: string): Promise<TestResultRow[]> {
  return personDb(env, personId)
    .select()
    .from(testResults)
    .where(eq(testResults.personId, personId))
    .orderBy(sql`${testResults.sampledAt} DESC`)
    .all();
}

/** A person's vaccination records (what their object reads when they apply). */
export async function recordsOf(env: Env, personId: string): Promise<VaccinationRecordRow[]> {
  return personDb(env, personId)
    .select()
    .from(vaccinationRecords)
    .where(eq(vaccinationRecords.personId, personId))
    .all();
}

/**
 * One page of person ids of one shard, in id order, within [from, to) (null: unbounded) and after
 * `after`: what the counter backfill (durable/counter-backfill.ts) walks.
 */
export async function personIdPage(
  env: Env,
  shard: number,
  range: { from: string | null; to: string | null },
  after: string | null,
  limit: number,
): Promise<string[]> {
  const db = shardDatabases(env)[shard];
  if (!db) throw new RangeError(`no person shard ${shard}`);
  // Only the bounds present, so SQLite walks the primary key from the cursor (an OR with NULL would not).
  const where: string[] = [];
  const binds: (string | number)[] = [];
  const lower = after !== null && (range.from === null || after >= range.from) ? after : range.from;
  if (lower !== null) {
    where.push(lower === after ? "person_id > ?" : "person_id >= ?");
    binds.push(lower);
  }
  if (range.to !== null) {
    where.push("person_id < ?");
    binds.push(range.to);
  }
  const { results } = await db
    .prepare(
      `SELECT person_id FROM persons ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY person_id LIMIT ?`,
    )
    .bind(...binds, limit)
    .all<{ person_id: string }>();
  return results.map((r) => r.person_id);
}
