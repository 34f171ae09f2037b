import { DurableObject } from "cloudflare:workers";
import { emptyTally, MAX_SAMPLES, mergeTally, type PreviewSample, type Tally } from "./preview-tally";
import type { RuleSet } from "./rules/rule-set";
import { migrateStorage, type StorageMigration } from "./storage-migrations";

/** A preview and its partial results are deleted this long after it started. */
export const PREVIEW_RETENTION_MS = 7 * 86_400_000;

export interface PreviewMeta {
  previewId: string;
  ruleSet: RuleSet;
  /** SHA-256 of the rule set's canonical JSON: a publication matches a preview by it. */
  digest: string;
  /** The rule-set version in force when the preview started: it is what `from` was computed under. */
  baseVersion: string;
  startedAt: string;
  /** How many id ranges the persons were split into (one chain of page messages each). */
  ranges: number;
  /** The authority account that started it. */
  createdBy: string;
}

/** What a range consumer should do with a page message. */
export type Claim =
  | { kind: "work"; ruleSet: RuleSet; ranges: number }
  /** The page was recorded already (a redelivery): send the next page again, or nothing when done. */
  | { kind: "resend"; next: string | null }
  /** A duplicate of a page some other delivery has moved past: drop it. */
  | { kind: "stale" };

export interface PageRecord {
  range: number;
  /** The cursor the page started after (null: the range's start). */
  after: string | null;
  /** The last person id of the page (null when the page was empty and started at the range's start). */
  last: string | null;
  final: boolean;
  /** Persons counted in the range when its first page was read. */
  total?: number | null;
  tally: Tally;
  samples: PreviewSample[];
}

export interface PreviewReport {
  meta: PreviewMeta;
  done: boolean;
  finishedAt: string | null;
  total: number;
  tally: Tally;
  samples: PreviewSample[];
}

interface RangeRow {
  range: number;
  tip: string | null;
  prev_tip: string | null;
  pages: number;
  done: number;
  total: number | null;
  tally: string;
  samples: string;
  [k: string]: SqlStorageValue;
}

/**
 * One object per rule-set preview. It holds only the proposed set and, per range of persons, a
 * cursor and the partial counts: each range's consumer writes once per page (never per person), and
 * a page counts only if it starts where the range's cursor stands, so a redelivered or duplicated
 * page message is counted once. Deleted by alarm after PREVIEW_RETENTION_MS.
 */
/** The preview object's storage schema, append-only (see storage-migrations.ts). */
const RULE_PREVIEW_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    name: "kv, ranges",
    sql: `
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ranges (
        range INTEGER PRIMARY KEY, tip TEXT, prev_tip TEXT, pages INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0, total INTEGER, tally TEXT NOT NULL, samples TEXT NOT NULL
      );
    `,
  },
];

export class RulePreviewObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, RULE_PREVIEW_MIGRATIONS));
  }

  private get<T>(k: string): T | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = ?", k).toArray()[0];
    return row ? (JSON.parse(row.v) as T) : null;
  }

  private put(k: string, v: unknown): void {
    this.sql.exec("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", k, JSON.stringify(v));
  }

  /** Idempotent: a second start of the same preview id returns what the first stored. */
  async start(meta: PreviewMeta): Promise<PreviewMeta> {
    const existing = this.get<PreviewMeta>("meta");
    if (existing) return existing;
    this.ctx.storage.transactionSync(() => {
      this.put("meta", meta);
      const empty = JSON.stringify(emptyTally());
      for (let r = 0; r < meta.ranges; r++)
        this.sql.exec("INSERT INTO ranges (range, tally, samples) VALUES (?, ?, '[]')", r, empty);
    });
    await this.ctx.storage.setAlarm(Date.parse(meta.startedAt) + PREVIEW_RETENTION_MS);
    return meta;
  }

  async meta(): Promise<PreviewMeta | null> {
    return this.get<PreviewMeta>("meta");
  }

  private range(range: number): RangeRow | undefined {
    return this.sql.exec<RangeRow>("SELECT * FROM ranges WHERE range = ?", range).toArray()[0];
  }

  async claim(range: number, after: string | null): Promise<Claim> {
    const meta = this.get<PreviewMeta>("meta");
    const row = this.range(range);
    if (!meta || !row) return { kind: "stale" };
    if (!row.done && row.tip === after) return { kind: "work", ruleSet: meta.ruleSet, ranges: meta.ranges };
    if (row.pages > 0 && row.prev_tip === after) return { kind: "resend", next: row.done ? null : row.tip };
    return { kind: "stale" };
  }

  /**
   * Adds a page's results if the page starts at the range's cursor (compare-and-set); false when it
   * does not (another delivery of it, or of a duplicate, was counted first).
   */
  async record(page: PageRecord): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => {
      const row = this.range(page.range);
      if (!row || row.done || row.tip !== page.after) return false;
      const tally = mergeTally(JSON.parse(row.tally) as Tally, page.tally);
      const samples = [...(JSON.parse(row.samples) as PreviewSample[]), ...page.samples].slice(
        0,
        MAX_SAMPLES,
      );
      // A finished range counts exactly whom it evaluated (persons registered while it ran included).
      const total = page.final ? tally.evaluated : (row.total ?? page.total ?? null);
      this.sql.exec(
        `UPDATE ranges SET tip = ?, prev_tip = ?, pages = pages + 1, done = ?, total = ?, tally = ?, samples = ?
         WHERE range = ?`,
        page.last ?? page.after,
        page.after,
        page.final ? 1 : 0,
        total,
        JSON.stringify(tally),
        JSON.stringify(samples),
        page.range,
      );
      if (page.final && !this.get("finishedAt")) {
        const open = this.sql.exec("SELECT 1 FROM ranges WHERE done = 0 LIMIT 1").toArray().length;
        if (open === 0) this.put("finishedAt", new Date().toISOString());
      }
      return true;
    });
  }

  async report(): Promise<PreviewReport | null> {
    const meta = this.get<PreviewMeta>("meta");
    if (!meta) return null;
    const rows = this.sql.exec<RangeRow>("SELECT * FROM ranges ORDER BY range").toArray();
    let tally = emptyTally();
    let total = 0;
    const perRange: PreviewSample[][] = [];
    for (const row of rows) {
      const t = JSON.parse(row.tally) as Tally;
      tally = mergeTally(tally, t);
      total += Math.max(row.total ?? 0, t.evaluated);
      perRange.push(JSON.parse(row.samples) as PreviewSample[]);
    }
    // Round robin over the ranges, so the samples come from across the whole population.
    const samples: PreviewSample[] = [];
    for (let i = 0; samples.length < MAX_SAMPLES && perRange.some((s) => s.length > i); i++)
      for (const s of perRange) {
        const sample = s[i];
        if (sample && samples.length < MAX_SAMPLES) samples.push(sample);
      }
    const finishedAt = this.get<string>("finishedAt");
    return { meta, done: finishedAt !== null, finishedAt, total, tally, samples };
  }

  override async alarm(): Promise<void> {
    // Rows, not the tables: this instance may still be asked, and then answers "no such preview".
    this.sql.exec("DELETE FROM ranges; DELETE FROM kv;");
  }
}
