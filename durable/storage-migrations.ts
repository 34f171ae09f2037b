/**
 * Numbered, append-only schema migrations for a Durable Object's SQLite storage (wrangler's D1
 * migrations do not reach object storage). With millions of objects there is no "run the migration
 * once": each object upgrades itself when it next starts, in its constructor under
 * `blockConcurrencyWhile`, so no call sees a half-upgraded schema.
 *
 * Rules: never edit or renumber a migration that has shipped; add the next number at the end. A
 * migration runs with the ones after it in one transaction, and its number is recorded in
 * `_migrations` in that same transaction, so a failure leaves the object exactly as it was.
 */
export interface StorageMigration {
  /** 1, 2, 3, ... in order, no gaps. */
  version: number;
  /** What it changes, for the person reading `_migrations`. */
  name: string;
  /** One or more statements, run by `sql.exec`. */
  sql: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS _migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL
)`;

/** The highest migration recorded in this object's storage (0 for a new object). */
export function storageVersion(storage: DurableObjectStorage): number {
  storage.sql.exec(LEDGER);
  const row = storage.sql.exec<{ v: number | null }>("SELECT max(version) AS v FROM _migrations").one();
  return row.v ?? 0;
}

/**
 * Applies the migrations this object has not run yet; returns their numbers. Throws before touching
 * storage when the list is not numbered 1..n (a renumbered or reordered list is a bug, not data).
 */
export function migrateStorage(
  storage: DurableObjectStorage,
  migrations: readonly StorageMigration[],
): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`storage migration ${m.name}: numbered ${m.version}, expected ${i + 1}`);
  });
  return storage.transactionSync(() => {
    const from = storageVersion(storage);
    const todo = migrations.slice(from);
    const at = new Date().toISOString();
    for (const m of todo) {
      storage.sql.exec(m.sql);
      storage.sql.exec(
        "INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
        m.version,
        m.name,
        at,
      );
    }
    return todo.map((m) => m.version);
  });
}
