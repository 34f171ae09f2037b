/** D1 inspection for the reliability tests: every table of every database (registry and person shards). */
import { shardDatabases } from "../../../workers/lib/shards";
import { env } from "../../helpers/api";

const databases = (): D1Database[] => [env.DB, ...shardDatabases(env)];

async function tablesOf(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
    )
    .all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Every table name, in any database. */
export async function d1Tables(): Promise<string[]> {
  const all = await Promise.all(databases().map(tablesOf));
  return [...new Set(all.flat())].sort();
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A counter of the given tables' rows, summed over the databases holding them: one statement per
 * database per count. Which database holds which table is read once, when the counter is made (the
 * schema does not change during a run); the fuzzing counts after every one of its 10,000 requests.
 */
export async function rowCounter(tables: string[]): Promise<() => Promise<Record<string, number>>> {
  const plans = (
    await Promise.all(
      databases().map(async (db) => {
        const present = new Set(await tablesOf(db));
        const mine = tables.filter((t) => present.has(t));
        if (mine.length === 0) return undefined;
        const sql = `SELECT ${mine.map((t, i) => `(SELECT COUNT(*) FROM ${quote(t)}) AS c${i}`).join(", ")}`;
        return { db, mine, sql };
      }),
    )
  ).filter((p) => p !== undefined);
  return async () => {
    const out: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
    await Promise.all(
      plans.map(async ({ db, mine, sql }) => {
        const row = (await db.prepare(sql).first<Record<string, number>>()) ?? {};
        mine.forEach((t, i) => {
          out[t] = (out[t] ?? 0) + (row[`c${i}`] ?? 0);
        });
      }),
    );
    return out;
  };
}

/** Tables whose count differs, as `table: before → after`. */
export function countChanges(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after)
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]} → ${after[t]}`);
}

/** Every row of every table of every database, for scanning. */
export async function dumpD1(): Promise<{ table: string; rows: Record<string, unknown>[] }[]> {
  const out = [];
  for (const db of databases())
    for (const table of await tablesOf(db)) {
      const { results } = await db.prepare(`SELECT * FROM ${quote(table)}`).all<Record<string, unknown>>();
      out.push({ table, rows: results });
    }
  return out;
}
