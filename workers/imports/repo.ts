import { and, eq, getTableColumns, inArray, type Table } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { importChunks } from "../../schema/d1/import-chunks";
import { importLines } from "../../schema/d1/imports";
import { type PersonRow, persons } from "../../schema/d1/persons";
import type { ImportReceipt } from "../../schema/wire/imports";
import { chunk, D1_MAX_PARAMS } from "../lib/chunk";
import { groupByShard } from "../lib/shards";
import { lineKey } from "./lines";

/** Chunk receipts are registry rows; persons and their import lines live on the person's shard. */
const db = (env: Env) => drizzle(env.DB);
/** Statements per batch() call: one round trip each, small enough to stay well inside limits. */
const STATEMENTS_PER_BATCH = 100;

/** Rows per multi-row INSERT that keep every column's parameter within D1's limit. */
const rowsPerInsert = (table: Table) =>
  Math.max(1, Math.floor(D1_MAX_PARAMS / Object.keys(getTableColumns(table)).length));

async function runBatches(shard: D1Database, statements: { run(): unknown }[]): Promise<void> {
  for (const part of chunk(statements, STATEMENTS_PER_BATCH)) {
    // biome-ignore lint/suspicious/noExplicitAny: drizzle's batch takes a non-empty tuple of its own query types
    await drizzle(shard).batch(part as any);
  }
}

/** The line keys among these persons' lines that are already recorded (every shard at once). */
export async function knownLineKeys(env: Env, personIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  await Promise.all(
    [...groupByShard(env, [...new Set(personIds)], (p) => p)].map(async ([shard, ids]) => {
      const d = drizzle(shard);
      const queries = chunk(ids, D1_MAX_PARAMS - 1).map((part) =>
        d
          .select({ personId: importLines.personId, source: importLines.source, since: importLines.since })
          .from(importLines)
          .where(inArray(importLines.personId, part)),
      );
      for (const group of chunk(queries, STATEMENTS_PER_BATCH)) {
        // biome-ignore lint/suspicious/noExplicitAny: see runBatches
        const results = (await d.batch(group as any)) as {
          personId: string;
          source: string;
          since: string;
        }[][];
        for (const rows of results) for (const r of rows) known.add(lineKey(r.personId, r.source, r.since));
      }
    }),
  );
  return known;
}

/** Inserts persons not yet in the directory; a person who applied keeps what they registered. */
export async function upsertPersons(env: Env, rows: readonly PersonRow[]): Promise<void> {
  const perStatement = rowsPerInsert(persons);
  await Promise.all(
    [...groupByShard(env, rows, (r) => r.personId)].map(([shard, part]) =>
      runBatches(
        shard,
        chunk(part, perStatement).map((p) => drizzle(shard).insert(persons).values(p).onConflictDoNothing()),
      ),
    ),
  );
}

export async function recordLines(env: Env, rows: (typeof importLines.$inferInsert)[]): Promise<void> {
  const perStatement = rowsPerInsert(importLines);
  await Promise.all(
    [...groupByShard(env, rows, (r) => r.personId)].map(([shard, part]) =>
      runBatches(
        shard,
        chunk(part, perStatement).map((p) =>
          drizzle(shard).insert(importLines).values(p).onConflictDoNothing(),
        ),
      ),
    ),
  );
}

export async function chunkReceipt(env: Env, importId: string, n: number): Promise<ImportReceipt | null> {
  const row = await db(env)
    .select()
    .from(importChunks)
    .where(and(eq(importChunks.importId, importId), eq(importChunks.chunk, n)))
    .get();
  return row ? (JSON.parse(row.receipt) as ImportReceipt) : null;
}

export async function saveChunkReceipt(
  env: Env,
  importId: string,
  n: number,
  receipt: ImportReceipt,
): Promise<void> {
  await db(env)
    .insert(importChunks)
    .values({ importId, chunk: n, receipt: JSON.stringify(receipt), at: new Date().toISOString() })
    .onConflictDoNothing();
}
