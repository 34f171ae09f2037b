import { DurableObject } from "cloudflare:workers";
import { mapBounded } from "../workers/lib/bounded";
import { personIdPage } from "./d1-reads";
import { migrateStorage, type StorageMigration } from "./storage-migrations";

// The counter backfill: persons registered before the district counters, who neither refresh their
// code nor change colour, were never counted. One object per id range of one person shard walks that
// range page by page by alarm (each page its own invocation, so no invocation holds more than a page
// of subrequests) and asks each person's object to count itself if it never has. All ranges run at
// once, in parallel, not one serial chain. Idempotent twice over: a person counts itself only when it
// never has, and the counters are idempotent by (person, seq), so a repeated page or a second run
// counts nobody twice.

/** Person ids read per page (one alarm each). */
export const BACKFILL_PAGE = 200;
/** Person objects asked at once. */
const CONCURRENCY = 25;

const MIGRATIONS: readonly StorageMigration[] = [
  { version: 1, name: "kv", sql: "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)" },
];

export interface BackfillRange {
  shard: number;
  /** Inclusive lower bound of person ids; null: unbounded. */
  from: string | null;
  /** Exclusive upper bound; null: unbounded. */
  to: string | null;
}

export interface BackfillProgress extends BackfillRange {
  /** The last person id handled (null: none yet). */
  after: string | null;
  done: boolean;
  /** Persons asked, and persons counted now (never counted before). */
  seen: number;
  counted: number;
  startedAt: string;
  finishedAt: string | null;
}

export class CounterBackfillObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, MIGRATIONS));
  }

  private load(): BackfillProgress | null {
    const row = this.ctx.storage.sql
      .exec<{ v: string }>("SELECT v FROM kv WHERE k = 'progress'")
      .toArray()[0];
    return row ? (JSON.parse(row.v) as BackfillProgress) : null;
  }

  private save(p: BackfillProgress): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO kv (k, v) VALUES ('progress', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      JSON.stringify(p),
    );
  }

  /** Starts walking the range; one still running goes on (false), a finished one walks again. */
  async start(range: BackfillRange): Promise<boolean> {
    const current = this.load();
    if (current && !current.done) return false;
    this.save({
      ...range,
      after: null,
      done: false,
      seen: 0,
      counted: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    });
    await this.ctx.storage.setAlarm(Date.now());
    return true;
  }

  async progress(): Promise<BackfillProgress | null> {
    return this.load();
  }

  /** One page; a failure throws, and the runtime retries the alarm from the same cursor. */
  override async alarm(): Promise<void> {
    const p = this.load();
    if (!p || p.done) return;
    const ids = await personIdPage(this.env, p.shard, p, p.after, BACKFILL_PAGE);
    const counted = await mapBounded(ids, CONCURRENCY, (id) =>
      this.env.PERSON.getByName(id).countIfNeverCounted(),
    );
    const done = ids.length < BACKFILL_PAGE;
    this.save({
      ...p,
      after: ids.at(-1) ?? p.after,
      seen: p.seen + ids.length,
      counted: p.counted + counted.filter(Boolean).length,
      done,
      finishedAt: done ? new Date().toISOString() : null,
    });
    if (!done) await this.ctx.storage.setAlarm(Date.now());
  }
}
