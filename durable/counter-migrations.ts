import type { StorageMigration } from "./storage-migrations";

/** A district counter's storage schema, append-only (see storage-migrations.ts). */
export const COUNTER_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    // entries: each person's counting timeline in this district (durable/counting.ts), pruned to the
    // last entry before the kept days; days: per-day deltas of persons by colour, the row with day ''
    // holding every day folded out of the kept window.
    name: "entries, days, kv",
    sql: `
      CREATE TABLE IF NOT EXISTS entries (
        person_id TEXT NOT NULL, seq INTEGER NOT NULL, day TEXT NOT NULL, color TEXT,
        PRIMARY KEY (person_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS days (
        day TEXT PRIMARY KEY, green INTEGER NOT NULL DEFAULT 0, yellow INTEGER NOT NULL DEFAULT 0,
        red INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `,
  },
];
