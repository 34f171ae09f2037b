import type { StorageMigration } from "./storage-migrations";

/**
 * The log sequencer's storage schema, append-only (see storage-migrations.ts).
 * pending: appended, not yet sequenced (bounded by throughput × batch interval).
 * seen:    idempotency keys of sequenced entries with their index, kept for KEY_WINDOW_MS only.
 * kv:      the tree's right edge (≤ 255 hashes per tile level), the partial entry bundle, the checkpoint.
 */
export const LOG_SEQUENCER_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    name: "pending, seen, kv",
    sql: `
      CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, entry TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, idx INTEGER NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `,
  },
];
