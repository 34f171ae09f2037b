import type { StorageMigration } from "./storage-migrations";

/**
 * The person object's storage schema, append-only (see storage-migrations.ts). Migration 1 is the
 * schema objects were created with before storage was versioned, with `IF NOT EXISTS`, so an object
 * from then records version 1 without change.
 */
export const PERSON_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    name: "facts, history, kv, notices, outbox",
    sql: `
      CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, added_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS history (version INTEGER PRIMARY KEY, entry TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS notices (id INTEGER PRIMARY KEY AUTOINCREMENT, notice TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
    `,
  },
  {
    version: 2,
    // PersonStore loads the facts `ORDER BY added_at, id` once per instance: an index read in order
    // instead of a sort of every fact the person has.
    name: "facts in added order",
    sql: "CREATE INDEX IF NOT EXISTS facts_added ON facts (added_at, id);",
  },
];
