// Tests read person-keyed rows where the shard map puts them (workers/lib/shards.ts).
import { env } from "cloudflare:workers";
import { accountShard, shardDatabases, shardFor } from "../../workers/lib/shards";

/** The D1 shard holding a person's rows. */
export const personShard = (personId: string): D1Database => shardFor(env, personId);

/** The D1 shard holding an account's rows (bindings, push subscriptions). */
export const accountShardOf = (accountId: string): D1Database => accountShard(env, accountId);

/** One statement on every shard, rows concatenated (shard order). */
export async function everyShard<T = Record<string, unknown>>(
  sql: string,
  ...binds: unknown[]
): Promise<T[]> {
  const parts = await Promise.all(
    shardDatabases(env).map(
      async (db) =>
        (
          await db
            .prepare(sql)
            .bind(...binds)
            .all<T>()
        ).results,
    ),
  );
  return parts.flat();
}

/** A `SELECT count(*) AS n …` summed over every shard. */
export async function countEveryShard(sql: string, ...binds: unknown[]): Promise<number> {
  const rows = await everyShard<{ n: number }>(sql, ...binds);
  return rows.reduce((a, r) => a + r.n, 0);
}

/** A statement (e.g. DDL) run on every shard. */
export async function execEveryShard(sql: string): Promise<void> {
  await Promise.all(shardDatabases(env).map((db) => db.exec(sql)));
}

/** A write run on every shard (only the shard holding the row changes). */
export async function runEveryShard(sql: string, ...binds: unknown[]): Promise<void> {
  await Promise.all(
    shardDatabases(env).map((db) =>
      db
        .prepare(sql)
        .bind(...binds)
        .run(),
    ),
  );
}
