import type { OutboxItem } from "./outbox";
import type { Notice, PersonMeta } from "./person";
import type { Fact } from "./rules/facts";
import type { RuleSet } from "./rules/rule-set";
import type { ColorState, HistoryEntry } from "./rules/transition";

/** The person's SQLite storage. All calls are synchronous, so a caller's transaction is never interleaved. */
export class PersonStore {
  private readonly sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, added_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS history (version INTEGER PRIMARY KEY, entry TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS notices (id INTEGER PRIMARY KEY AUTOINCREMENT, notice TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
    `);
  }

  private get<T>(k: string): T | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = ?", k).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  private put(k: string, v: unknown): void {
    this.sql.exec(
      "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      k,
      JSON.stringify(v),
    );
  }

  meta = () => this.get<PersonMeta>("meta");
  setMeta = (m: PersonMeta) => this.put("meta", m);
  state = () => this.get<ColorState>("state");
  saveState = (s: ColorState) => this.put("state", s);
  ruleSet = () => this.get<RuleSet>("ruleSet");
  setRuleSet = (r: RuleSet) => this.put("ruleSet", r);

  /** Inserts the facts not seen before; returns the ids actually added. */
  insertFacts(facts: readonly Fact[], at: string): string[] {
    const added: string[] = [];
    for (const f of facts) {
      const cursor = this.sql.exec(
        "INSERT INTO facts (id, kind, body, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        f.id,
        f.kind,
        JSON.stringify(f),
        at,
      );
      if (cursor.rowsWritten > 0) added.push(f.id);
    }
    return added;
  }

  facts(kind?: Fact["kind"]): Fact[] {
    const rows = kind
      ? this.sql.exec<{ body: string }>("SELECT body FROM facts WHERE kind = ? ORDER BY added_at, id", kind)
      : this.sql.exec<{ body: string }>("SELECT body FROM facts ORDER BY added_at, id");
    return rows.toArray().map((r) => JSON.parse(r.body) as Fact);
  }

  appendHistory(entry: HistoryEntry): void {
    this.sql.exec(
      "INSERT INTO history (version, entry) VALUES (?, ?) ON CONFLICT (version) DO NOTHING",
      entry.version,
      JSON.stringify(entry),
    );
  }

  history(): HistoryEntry[] {
    return this.sql
      .exec<{ entry: string }>("SELECT entry FROM history ORDER BY version DESC")
      .toArray()
      .map((r) => JSON.parse(r.entry) as HistoryEntry);
  }

  addNotice(notice: Notice): void {
    this.sql.exec("INSERT INTO notices (notice) VALUES (?)", JSON.stringify(notice));
  }

  notices(): Notice[] {
    return this.sql
      .exec<{ notice: string }>("SELECT notice FROM notices ORDER BY id DESC")
      .toArray()
      .map((r) => JSON.parse(r.notice) as Notice);
  }

  enqueue(items: OutboxItem[]): void {
    for (const item of items) this.sql.exec("INSERT INTO outbox (item) VALUES (?)", JSON.stringify(item));
  }

  outbox(): { id: number; item: OutboxItem; attempts: number }[] {
    return this.sql
      .exec<{ id: number; item: string; attempts: number }>(
        "SELECT id, item, attempts FROM outbox ORDER BY id LIMIT 200",
      )
      .toArray()
      .map((r) => ({ id: r.id, item: JSON.parse(r.item) as OutboxItem, attempts: r.attempts }));
  }

  hasFailedOutbox(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox WHERE attempts > 0 LIMIT 1").toArray().length > 0;
  }

  /** Removes delivered items and counts an attempt on the rest. */
  dequeue(doneIds: number[]): void {
    const done = new Set(doneIds);
    for (const { id } of this.outbox()) {
      if (done.has(id)) this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
      else this.sql.exec("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", id);
    }
  }
}
