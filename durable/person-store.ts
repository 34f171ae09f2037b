import { CachedRecords } from "./cached-records";
import type { OutboxItem } from "./outbox";
import type { Notice, PersonMeta } from "./person-types";
import type { Fact } from "./rules/facts";
import type { RuleSet } from "./rules/rule-set";
import type { ColorState, HistoryEntry } from "./rules/transition";

interface CachedFact {
  fact: Fact;
  addedAt: string;
}

/**
 * The person's SQLite storage (tables: durable/person-migrations.ts). All calls are synchronous, so a caller's transaction is never interleaved.
 *
 * The facts are also kept parsed in memory, loaded once per object instance and appended on insert:
 * a hot person re-evaluates on every added fact, and re-reading and parsing all of them each time made
 * a burst quadratic. The copy stays exact because only this class writes the `facts` table, the
 * object runs one call at a time and SQL calls are synchronous; a transaction that throws rolls the
 * table back, so `transaction()` drops the copy then and the next read reloads it.
 *
 * The small records (`meta`, `state`, `ruleSet`) are kept the same way (`CachedRecords`), as their
 * stored JSON text, parsed on each read so no caller can change the copy.
 */
export class PersonStore {
  private readonly storage: DurableObjectStorage;
  private readonly sql: SqlStorage;
  /** All facts in `ORDER BY added_at, id` order, or null until first needed (or after a rollback). */
  private cache: CachedFact[] | null = null;
  /** The `kv` rows as their stored JSON text. */
  private readonly records: CachedRecords;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
    this.sql = storage.sql;
    this.records = new CachedRecords(storage.sql, "kv");
  }

  /** `transactionSync` that keeps the in-memory facts coherent with a rollback. */
  transaction<T>(fn: () => T): T {
    try {
      return this.storage.transactionSync(fn);
    } catch (err) {
      this.cache = null;
      this.records.forget();
      throw err;
    }
  }

  private get<T>(k: string): T | null {
    const text = this.records.get(k);
    return text === null ? null : (JSON.parse(text) as T);
  }

  private put(k: string, v: unknown): void {
    this.records.put(k, JSON.stringify(v));
  }

  meta = () => this.get<PersonMeta>("meta");
  setMeta = (m: PersonMeta) => this.put("meta", m);
  state = () => this.get<ColorState>("state");
  saveState = (s: ColorState) => this.put("state", s);
  ruleSet = () => this.get<RuleSet>("ruleSet");
  setRuleSet = (r: RuleSet) => this.put("ruleSet", r);

  /** Inserts the facts not seen before; returns the ids actually added. */
  insertFacts(facts: readonly Fact[], at: string): string[] {
    // Loaded before the insert, so the rows written below are not read back a second time.
    const cache = this.loaded();
    const added: string[] = [];
    for (const f of facts) {
      const body = JSON.stringify(f);
      const cursor = this.sql.exec(
        "INSERT INTO facts (id, kind, body, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        f.id,
        f.kind,
        body,
        at,
      );
      if (cursor.rowsWritten > 0) {
        added.push(f.id);
        // Parsed back from the stored text: exactly what a later read of the row gives.
        insertSorted(cache, { fact: JSON.parse(body) as Fact, addedAt: at });
      }
    }
    return added;
  }

  /** The facts in the order they were added (ties by id). Callers must not mutate them. */
  facts(kind?: Fact["kind"]): Fact[] {
    const all = this.loaded();
    return kind ? all.filter((c) => c.fact.kind === kind).map((c) => c.fact) : all.map((c) => c.fact);
  }

  private loaded(): CachedFact[] {
    this.cache ??= this.sql
      .exec<{ body: string; added_at: string }>("SELECT body, added_at FROM facts ORDER BY added_at, id")
      .toArray()
      .map((r) => ({ fact: JSON.parse(r.body) as Fact, addedAt: r.added_at }));
    return this.cache;
  }

  appendHistory(entry: HistoryEntry): void {
    this.sql.exec(
      "INSERT INTO history (version, entry) VALUES (?, ?) ON CONFLICT (version) DO NOTHING",
      entry.version,
      JSON.stringify(entry),
    );
  }

  /** Records where a history entry sits in the public log. */
  setHistoryLog(version: number, log: NonNullable<HistoryEntry["log"]>): void {
    this.sql.exec(
      "UPDATE history SET entry = json_set(entry, '$.log', json(?)) WHERE version = ?",
      JSON.stringify(log),
      version,
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

/** Keeps `ORDER BY added_at, id`; a fact added later than all others (the usual case) is appended. */
function insertSorted(list: CachedFact[], item: CachedFact): void {
  const after = (a: CachedFact) =>
    sqliteCompare(a.addedAt, item.addedAt) > 0 ||
    (a.addedAt === item.addedAt && sqliteCompare(a.fact.id, item.fact.id) > 0);
  let lo = 0;
  let hi = list.length;
  if (hi === 0 || !after(list[hi - 1]!)) {
    list.push(item);
    return;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  list.splice(lo, 0, item);
}

/**
 * SQLite's BINARY collation (UTF-8 bytes, i.e. code points). JavaScript's `<` compares UTF-16 code
 * units, which orders characters above U+FFFF (surrogate pairs) before U+E000–U+FFFF.
 */
function sqliteCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    return sx === sy ? x - y : sx ? 1 : -1;
  }
  return a.length - b.length;
}
