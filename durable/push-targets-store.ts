import { type PushTarget, type PushTargetUpdate, SENT_MARK_MS, TOMBSTONE_MS } from "./push-targets";

interface TargetRow extends Record<string, SqlStorageValue> {
  id: string;
  account_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
/** SQLite binds at most a few hundred parameters a statement; an object holds far fewer accounts. */
const IN_CHUNK = 90;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(items.slice(i, i + IN_CHUNK));
  return out;
}

/** Synchronous reads and writes of the managers' push subscriptions; callers run them in a transaction. */
export class PushTargetsStore {
  // Tables: person migration 5 (durable/person-migrations.ts).
  constructor(private readonly sql: SqlStorage) {}

  /** Applies an update: removals become tombstones; an upsert never revives one nor overwrites a newer copy. */
  apply(update: PushTargetUpdate): void {
    for (const id of update.removed) {
      this.sql.exec(
        `INSERT INTO push_targets (id, account_id, endpoint, p256dh, auth, version, removed_at)
         VALUES (?, ?, '', '', '', ?, ?)
         ON CONFLICT (id) DO UPDATE SET endpoint = '', p256dh = '', auth = '',
           removed_at = coalesce(push_targets.removed_at, excluded.removed_at)`,
        id,
        update.accountId,
        update.version,
        update.version,
      );
    }
    for (const t of update.upserts) {
      // An id belongs to one account for ever: an update naming another account changes nothing.
      this.sql.exec(
        `INSERT INTO push_targets (id, account_id, endpoint, p256dh, auth, version, removed_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh,
           auth = excluded.auth, version = excluded.version
         WHERE push_targets.removed_at IS NULL AND push_targets.version < excluded.version
           AND push_targets.account_id = excluded.account_id`,
        t.id,
        update.accountId,
        t.endpoint,
        t.p256dh,
        t.auth,
        update.version,
      );
    }
  }

  /** The live subscriptions of these accounts (only these ids, when given). */
  targets(accounts: readonly string[], ids?: readonly string[]): PushTarget[] {
    const wanted = ids ? new Set(ids) : null;
    return chunks(accounts).flatMap((part) =>
      this.sql
        .exec<TargetRow>(
          `SELECT id, account_id, endpoint, p256dh, auth FROM push_targets
           WHERE removed_at IS NULL AND account_id IN (${placeholders(part.length)}) ORDER BY account_id, id`,
          ...part,
        )
        .toArray()
        .filter((r) => !wanted || wanted.has(r.id))
        .map((r) => ({
          id: r.id,
          accountId: r.account_id,
          endpoint: r.endpoint,
          p256dh: r.p256dh,
          auth: r.auth,
        })),
    );
  }

  /** The accounts among these whose subscriptions were never read from D1 into this object. */
  unseeded(accounts: readonly string[]): string[] {
    const seeded = new Set(
      chunks(accounts).flatMap((part) =>
        this.sql
          .exec<{ account_id: string }>(
            `SELECT account_id FROM push_accounts WHERE account_id IN (${placeholders(part.length)})`,
            ...part,
          )
          .toArray()
          .map((r) => r.account_id),
      ),
    );
    return accounts.filter((a) => !seeded.has(a));
  }

  markSeeded(accounts: readonly string[], at: number): void {
    for (const a of accounts) {
      this.sql.exec(
        "INSERT INTO push_accounts (account_id, seeded_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING",
        a,
        at,
      );
    }
  }

  /**
   * Forgets the subscriptions of every account that no longer manages the person (removed, denied,
   * displaced): they stop receiving at once, and are read afresh should the account manage them again.
   * Tombstones stay, so a late update still cannot revive a removed id.
   */
  keepOnly(activeAccounts: readonly string[]): void {
    const active = new Set(activeAccounts);
    const gone = this.sql
      .exec<{ account_id: string }>(
        "SELECT DISTINCT account_id FROM push_targets WHERE removed_at IS NULL UNION SELECT account_id FROM push_accounts",
      )
      .toArray()
      .map((r) => r.account_id)
      .filter((a) => !active.has(a));
    for (const a of gone) {
      this.sql.exec("DELETE FROM push_targets WHERE account_id = ? AND removed_at IS NULL", a);
      this.sql.exec("DELETE FROM push_accounts WHERE account_id = ?", a);
    }
  }

  /** The subscriptions this change was already pushed to (or given up on). */
  sent(changeKey: string): Set<string> {
    return new Set(
      this.sql
        .exec<{ subscription_id: string }>(
          "SELECT subscription_id FROM push_sent WHERE change_key = ?",
          changeKey,
        )
        .toArray()
        .map((r) => r.subscription_id),
    );
  }

  markSent(changeKey: string, ids: readonly string[], at: number): void {
    for (const id of ids) {
      this.sql.exec(
        "INSERT INTO push_sent (change_key, subscription_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        changeKey,
        id,
        at,
      );
    }
    this.prune(at);
  }

  /** Drops sent marks and tombstones past their windows. */
  prune(now: number): void {
    this.sql.exec("DELETE FROM push_sent WHERE at < ?", now - SENT_MARK_MS);
    this.sql.exec(
      "DELETE FROM push_targets WHERE removed_at IS NOT NULL AND removed_at < ?",
      now - TOMBSTONE_MS,
    );
  }
}
