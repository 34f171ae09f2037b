/** Rows per DELETE statement, and statements per table and database in one retention run. */
export const ROWS_PER_DELETE = 1000;
const DELETES_PER_RUN = 20;

/**
 * Runs `sql` (a DELETE of at most ROWS_PER_DELETE rows) until a statement deletes fewer or the run's
 * bound is reached; the rows deleted. A backlog drains over the next runs, never in one long one.
 */
export async function deleteInBatches(db: D1Database, sql: string, ...binds: unknown[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < DELETES_PER_RUN; i++) {
    const res = await db
      .prepare(sql)
      .bind(...binds)
      .run();
    const n = res.meta.changes ?? 0;
    deleted += n;
    if (n < ROWS_PER_DELETE) break;
  }
  return deleted;
}
