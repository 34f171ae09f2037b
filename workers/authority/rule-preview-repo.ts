import { and, count, gt, gte, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { persons } from "../../schema/d1/persons";
import { allShards, shardDatabases } from "../lib/shards";
import type { IdRange } from "./preview-ranges";

/** The directory of shard `shard` (ranges are per shard: workers/authority/preview-ranges.ts). */
const db = (env: Env, shard: number) => {
  const d = shardDatabases(env)[shard];
  if (!d) throw new RangeError(`no person shard ${shard}`);
  return drizzle(d);
};

function inRange(r: IdRange, after: string | null): SQL | undefined {
  return and(
    after !== null
      ? gt(persons.personId, after)
      : r.from !== null
        ? gte(persons.personId, r.from)
        : undefined,
    r.to !== null ? lt(persons.personId, r.to) : undefined,
  );
}

export interface DirectoryEntry {
  personId: string;
  maskedName: string;
  districtCode: string | null;
}

/**
 * A page of one shard's directory inside a range, after a cursor, in id order (keyset over the
 * primary key); shard null: every shard's page at once, merged (the first `limit` of the union).
 */
export async function directoryPage(
  env: Env,
  shard: number | null,
  r: IdRange,
  after: string | null,
  limit: number,
): Promise<DirectoryEntry[]> {
  if (shard === null) {
    const parts = await allShards(env, (_, i) => directoryPage(env, i, r, after, limit));
    return parts
      .flat()
      .sort((a, b) => (a.personId < b.personId ? -1 : 1))
      .slice(0, limit);
  }
  return db(env, shard)
    .select({
      personId: persons.personId,
      maskedName: persons.maskedName,
      districtCode: persons.districtCode,
    })
    .from(persons)
    .where(inRange(r, after))
    .orderBy(persons.personId)
    .limit(limit)
    .all();
}

/** Persons registered in a range of one shard (an index range count: a 64th of the directory at most). */
export async function countInRange(env: Env, shard: number | null, r: IdRange): Promise<number> {
  if (shard === null)
    return (await allShards(env, (_, i) => countInRange(env, i, r))).reduce((a, b) => a + b, 0);
  const row = await db(env, shard).select({ n: count() }).from(persons).where(inRange(r, null)).get();
  return row?.n ?? 0;
}

/**
 * How many persons are registered, counted no further than `cap` (each shard, at once, reads at most
 * `cap` index entries).
 */
export async function directorySizeUpTo(env: Env, cap: number): Promise<number> {
  const counts = await allShards(env, async (shard) => {
    const row = await shard
      .prepare("SELECT count(*) AS n FROM (SELECT 1 FROM persons LIMIT ?)")
      .bind(cap)
      .first<{ n: number }>();
    return row?.n ?? 0;
  });
  return Math.min(
    cap,
    counts.reduce((a, b) => a + b, 0),
  );
}
