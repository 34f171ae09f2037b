/** D1 inspection for the reliability tests: every table, straight from sqlite_master. */
import { env } from "../../helpers/api";

export async function d1Tables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Row count of every table, in one statement (cheap enough to take around every request). */
export async function rowCounts(tables: string[]): Promise<Record<string, number>> {
  const sql = `SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${quote(t)}) AS c${i}`).join(", ")}`;
  const row = (await env.DB.prepare(sql).first<Record<string, number>>()) ?? {};
  return Object.fromEntries(tables.map((t, i) => [t, row[`c${i}`] ?? 0]));
}

/** Tables whose count differs, as `table: before → after`. */
export function countChanges(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after)
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]} → ${after[t]}`);
}

/** Every row of every table, for scanning. */
export async function dumpD1(): Promise<{ table: string; rows: Record<string, unknown>[] }[]> {
  const out = [];
  for (const table of await d1Tables()) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${quote(table)}`).all<Record<string, unknown>>();
    out.push({ table, rows: results });
  }
  return out;
}
