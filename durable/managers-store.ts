import { CachedRecords } from "./cached-records";
import type { Manager, NameRecord, Relationship } from "./managers";

interface ManagerRow extends Record<string, SqlStorageValue> {
  id: string;
  account_id: string;
  relationship: string;
  proven: number;
  status: string;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  displaced_self: number;
}

/**
 * Synchronous reads and writes of the manager set; callers run them inside the object's transaction.
 * Only this class writes its tables, so it keeps what it last read or wrote in memory (every code
 * refresh and check-in asks who manages the person); the object calls `forget()` after a
 * transaction that threw, whose writes were rolled back.
 */
export class ManagersStore {
  // Tables: person migration 3 (durable/person-migrations.ts).
  private readonly record: CachedRecords;

  constructor(private readonly sql: SqlStorage) {
    this.record = new CachedRecords(sql, "person_record");
  }

  /** The rows in `created_at, id` order, or null until read (or after a write or a rollback). */
  private rows: Manager[] | null = null;

  forget(): void {
    this.rows = null;
    this.record.forget();
  }

  /** Copies, so no caller can change what is kept. */
  all(): Manager[] {
    this.rows ??= this.read();
    return this.rows.map((m) => ({ ...m }));
  }

  private read(): Manager[] {
    return this.sql
      .exec<ManagerRow>("SELECT * FROM managers ORDER BY created_at, id")
      .toArray()
      .map((r) => ({
        id: r.id,
        accountId: r.account_id,
        relationship: r.relationship as Relationship,
        proven: r.proven === 1,
        status: r.status as Manager["status"],
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        expiresAt: r.expires_at,
        displacedSelf: r.displaced_self === 1,
      }));
  }

  upsert(rows: readonly Manager[]): void {
    if (rows.length > 0) this.rows = null;
    for (const m of rows) {
      // The account is unique too: a row replaced under a new id (a fresh request) drops the old one.
      this.sql.exec("DELETE FROM managers WHERE account_id = ? AND id <> ?", m.accountId, m.id);
      this.sql.exec(
        `INSERT INTO managers (id, account_id, relationship, proven, status, created_at, updated_at, expires_at, displaced_self)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET relationship = excluded.relationship, proven = excluded.proven,
           status = excluded.status, updated_at = excluded.updated_at, expires_at = excluded.expires_at,
           displaced_self = excluded.displaced_self`,
        m.id,
        m.accountId,
        m.relationship,
        m.proven ? 1 : 0,
        m.status,
        m.createdAt,
        m.updatedAt,
        m.expiresAt,
        m.displacedSelf ? 1 : 0,
      );
    }
  }

  name(): NameRecord | null {
    const v = this.record.get("name");
    return v ? (JSON.parse(v) as NameRecord) : null;
  }
  setName = (n: NameRecord) => this.record.put("name", JSON.stringify(n));
  adultOn = () => this.record.get("adultOn");
  setAdultOn = (d: string) => this.record.put("adultOn", d);
  /** Whether the set was seeded from the D1 bindings made before the object kept it. */
  seeded = () => this.record.get("seeded") !== null;
  markSeeded = () => this.record.put("seeded", "1");
}
