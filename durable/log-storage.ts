import type { StorageMigration } from "./storage-migrations";

/**
 * The log sequencer's storage schema, append-only (see storage-migrations.ts).
 * pending: appended, not yet sequenced (bounded by throughput × batch interval).
 * seen:    idempotency keys of sequenced entries with their index, kept for KEY_WINDOW_MS only.
 * gc:      R2 prefixes of superseded partial tiles and when they may go (migration 2).
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
  {
    version: 2,
    name: "gc: partial tiles to delete once their full tile has been out for a grace period",
    sql: `
      CREATE TABLE IF NOT EXISTS gc (prefix TEXT PRIMARY KEY, due INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS gc_due ON gc (due);
    `,
  },
];

/**
 * A log pool's storage (durable/log-pool.ts): entries submitted without waiting, kept until the
 * sequencer has them (a pool holds at most a few seconds of its share of authority actions).
 */
export const LOG_POOL_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    name: "pending",
    sql: `
      CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, entry TEXT NOT NULL);
    `,
  },
];
