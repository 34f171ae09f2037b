import type { StorageMigration } from "./storage-migrations";

/** The venue object's storage schema, append-only (see storage-migrations.ts). */
export const VENUE_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    name: "check-ins, manual entries, daily counts, hour counters, designations, touched persons, kv",
    sql: `
      CREATE TABLE checkins (
        check_in_id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        checked_in_at TEXT NOT NULL,
        color TEXT,
        distance_m INTEGER,
        device_key_id TEXT,
        entry_id TEXT,
        presence TEXT NOT NULL,
        venue_name TEXT,
        code_iat INTEGER,
        voided_at TEXT
      );
      -- "Who was here between from and to" pages by (checked_in_at, check_in_id); retention deletes by time.
      CREATE INDEX checkins_at ON checkins (checked_in_at, check_in_id);
      CREATE TABLE manual_entries (
        entry_id TEXT PRIMARY KEY,
        device_key_id TEXT NOT NULL,
        name_enc TEXT NOT NULL,
        phone_enc TEXT NOT NULL,
        person_id TEXT,
        entered_at TEXT NOT NULL
      );
      CREATE INDEX manual_entries_at ON manual_entries (entered_at);
      -- The owner's statistics: one row per (Asia/Shanghai day, kind, colour), counted at insert.
      CREATE TABLE daily_counts (day TEXT NOT NULL, kind TEXT NOT NULL, color TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (day, kind, color));
      -- Rate limits of this venue (manual entries an hour).
      CREATE TABLE hour_counts (scope TEXT NOT NULL, hour TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (scope, hour));
      -- Designations covering this venue, as the exposure fan-out delivered them: a later visit in the window is matched here.
      CREATE TABLE designations (risk_area_id TEXT PRIMARY KEY, body TEXT NOT NULL, lifted_at TEXT);
      -- Who received an exposure from a designation through this venue, so that its lift reaches them.
      CREATE TABLE touched (risk_area_id TEXT NOT NULL, person_id TEXT NOT NULL, PRIMARY KEY (risk_area_id, person_id));
      CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: "the day's count kept by the insert itself",
    // Each statement an object runs carries the runtime's own cost on top of SQLite's (a check-in
    // profile shows it), so a visit is one statement: the trigger counts it in the same step, only
    // when a row is inserted (a repeated id inserts nothing). Asia/Shanghai is UTC+8 all year.
    sql: `
      CREATE TRIGGER checkins_count_day AFTER INSERT ON checkins BEGIN
        INSERT INTO daily_counts (day, kind, color, n)
        VALUES (date(NEW.checked_in_at, '+8 hours'), NEW.kind, COALESCE(NEW.color, 'none'), 1)
        ON CONFLICT (day, kind, color) DO UPDATE SET n = n + 1;
      END;
    `,
  },
];
