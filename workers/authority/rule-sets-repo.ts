import { desc, eq, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { RuleSet } from "../../durable/rules/rule-set";
import { persons } from "../../schema/d1/persons";
import { type RuleSetRow, ruleSets } from "../../schema/d1/rule-sets";
import { shardDatabases } from "../lib/shards";

const db = (env: Env) => drizzle(env.DB);

export async function ruleSetByVersion(env: Env, version: string): Promise<RuleSetRow | undefined> {
  return db(env).select().from(ruleSets).where(eq(ruleSets.version, version)).get();
}

export async function listRuleSets(env: Env): Promise<RuleSetRow[]> {
  return db(env).select().from(ruleSets).orderBy(desc(ruleSets.seq)).all();
}

/** Inserts a version; false when the label is already taken. */
export async function insertRuleSet(
  env: Env,
  ruleSet: RuleSet,
  createdBy: string,
  previewId: string | null = null,
): Promise<boolean> {
  const rows = await db(env)
    .insert(ruleSets)
    .values({
      version: ruleSet.version,
      body: JSON.stringify(ruleSet),
      publishedAt: ruleSet.publishedAt,
      createdAt: new Date().toISOString(),
      createdBy,
      previewId,
    })
    .onConflictDoNothing()
    .returning({ seq: ruleSets.seq });
  return rows.length > 0;
}

/**
 * A page of the person ids registered on one shard after a cursor, in id order (keyset pagination
 * over the primary key).
 */
export async function personIdPage(
  env: Env,
  shard: number,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const d = shardDatabases(env)[shard];
  if (!d) throw new RangeError(`no person shard ${shard}`);
  const q = drizzle(d).select({ personId: persons.personId }).from(persons);
  const rows = await (after ? q.where(gt(persons.personId, after)) : q)
    .orderBy(persons.personId)
    .limit(limit)
    .all();
  return rows.map((r) => r.personId);
}
