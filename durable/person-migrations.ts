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
  {
    version: 3,
    // Who manages the person (issue 17): one row per account that manages or asked to manage them
    // (accounts are hashes of issuer|subject, no names or identity numbers), and `person_record`: the
    // keyed MAC of the name on record and the day the person turns 18.
    name: "managers and the name on record",
    sql: `
      CREATE TABLE IF NOT EXISTS managers (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL UNIQUE,
        relationship TEXT NOT NULL,
        proven INTEGER NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        expires_at TEXT,
        displaced_self INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS person_record (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    // The person's own check-ins (issue 12): where they have been, for GET …/checkins, for the
    // same-visit and replayed-code checks at check-in, and for appeals; deleted by the alarm after
    // the retention window (durable/person-checkins.ts).
    name: "own check-ins",
    sql: `
      CREATE TABLE IF NOT EXISTS checkins (
        check_in_id TEXT PRIMARY KEY,
        venue_id TEXT NOT NULL,
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
      CREATE INDEX IF NOT EXISTS checkins_at ON checkins (checked_in_at, check_in_id);
    `,
  },
  {
    version: 5,
    // The push subscriptions of the accounts managing the person (issue 15), so the notify consumer
    // reads no D1: copies of the D1 rows (the record, on the account's shard), kept in step by the
    // push routes (durable/push-targets.ts). A removed id stays as a tombstone (blank endpoint and
    // keys) so a late or repeated update cannot bring it back; `push_accounts` names the accounts
    // whose rows were read from D1 once; `push_sent` the subscriptions a change was already pushed
    // to, so a redelivered notify message does not push it again. Both pruned by age.
    name: "push subscriptions of the managers",
    sql: `
      CREATE TABLE IF NOT EXISTS push_targets (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        version INTEGER NOT NULL,
        removed_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS push_targets_account ON push_targets (account_id);
      CREATE TABLE IF NOT EXISTS push_accounts (account_id TEXT PRIMARY KEY, seeded_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS push_sent (
        change_key TEXT NOT NULL,
        subscription_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (change_key, subscription_id)
      );
    `,
  },
  {
    version: 6,
    // The same-visit check at every check-in looks for this venue in the dedupe window, and the
    // replay check for this live code: without these, both walked every visit in the window (a
    // staff member's or a busy account's hundreds), so a check-in grew dearer with the person's
    // visit rate. Existing rows are indexed in the migration (a person holds at most the retention
    // window's visits).
    name: "check-ins by venue and by scanned code",
    sql: `
      CREATE INDEX IF NOT EXISTS checkins_venue_at ON checkins (venue_id, checked_in_at);
      CREATE INDEX IF NOT EXISTS checkins_code ON checkins (code_iat, checked_in_at) WHERE code_iat IS NOT NULL;
    `,
  },
  {
    version: 7,
    // Whether the venue's object is known to hold this visit (and its designations were matched): a
    // repeat of such a visit (a re-scan, an app's retry) then makes no call to the venue, even after
    // the object was evicted. Older rows start unknown. Written in the next new visit's transaction
    // (PersonObject.unmarkedKept), never in a commit of its own: that cost a third of a visit.
    name: "venue copy confirmed",
    sql: "ALTER TABLE checkins ADD COLUMN venue_kept INTEGER NOT NULL DEFAULT 0;",
  },
];
