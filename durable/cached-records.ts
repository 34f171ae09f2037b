/**
 * A person object's key/value rows (`k`, `v` text), kept in memory as last read or written here:
 * every code refresh, verification and check-in reads the same few, and each SQL statement costs more
 * than the map. Exact because only one store writes a table's keys, the object runs one call at a time
 * and SQL is synchronous; the owner calls `forget()` after a transaction that threw (rolled back).
 */
export class CachedRecords {
  /** Stored text by key (null: no row). */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly table: "kv" | "person_record",
  ) {}

  get(k: string): string | null {
    let v = this.known.get(k);
    if (v === undefined) {
      v = this.sql.exec<{ v: string }>(`SELECT v FROM ${this.table} WHERE k = ?`, k).toArray()[0]?.v ?? null;
      this.known.set(k, v);
    }
    return v;
  }

  put(k: string, v: string): void {
    this.sql.exec(
      `INSERT INTO ${this.table} (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
      k,
      v,
    );
    this.known.set(k, v);
  }

  forget(): void {
    this.known.clear();
  }
}
