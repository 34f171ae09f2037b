import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { counterDistricts } from "../schema/d1/counters";
import type { Color } from "../schema/vocabulary";
import { shanghaiDate } from "../workers/lib/shanghai";
import { COUNTER_MIGRATIONS } from "./counter-migrations";
import type { CountDelivery, CounterReading } from "./counter-types";
import {
  addCounts,
  addDays,
  type CountEntry,
  type Counts,
  type Delta,
  place,
  prunableBelow,
  zeroCounts,
} from "./counting";
import { migrateStorage } from "./storage-migrations";

/**
 * Days kept apart in `days` (and the person timelines that can still move them). Longer than the
 * 30-day series, so a read's window always lies inside what is kept.
 */
export const KEPT_DAYS = 40;

/**
 * One object per district: the persons counted there by colour, now and per day, exact under
 * duplicated and out-of-order deliveries (idempotent by person and `seq`). Read by
 * `GET /v1/authority/stats` in a few dozen rows; never scanned.
 */
export class DistrictCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, COUNTER_MIGRATIONS));
  }

  /** Applies deliveries (any order, any number of times); returns how many were new. */
  async apply(counter: string, deliveries: CountDelivery[]): Promise<{ applied: number }> {
    const keepFrom = addDays(shanghaiDate(new Date()), -KEPT_DAYS);
    const sql = this.ctx.storage.sql;
    const applied = this.ctx.storage.transactionSync(() => {
      let n = 0;
      const deltas: Delta[] = [];
      for (const d of deliveries) {
        const timeline = sql
          .exec<{ seq: number; day: string; color: string | null }>(
            "SELECT seq, day, color FROM entries WHERE person_id = ? ORDER BY seq",
            d.personId,
          )
          .toArray()
          .map((r) => ({ seq: r.seq, day: r.day, color: r.color as Color | null }));
        const entry: CountEntry = { seq: d.seq, day: d.day, color: d.color };
        const p = place(timeline, entry, keepFrom);
        if (p.kind !== "insert") continue;
        n++;
        sql.exec(
          "INSERT INTO entries (person_id, seq, day, color) VALUES (?, ?, ?, ?)",
          d.personId,
          d.seq,
          d.day,
          d.color,
        );
        deltas.push(...p.deltas);
        const below = prunableBelow(
          [...timeline, entry].sort((a, b) => a.seq - b.seq),
          keepFrom,
        );
        if (below !== null)
          sql.exec("DELETE FROM entries WHERE person_id = ? AND seq < ?", d.personId, below);
      }
      for (const [day, c] of byDay(deltas)) {
        sql.exec(
          `INSERT INTO days (day, green, yellow, red) VALUES (?, ?, ?, ?)
           ON CONFLICT (day) DO UPDATE SET green = green + excluded.green,
             yellow = yellow + excluded.yellow, red = red + excluded.red`,
          day < keepFrom ? "" : day,
          c.green,
          c.yellow,
          c.red,
        );
      }
      return n;
    });
    await this.register(counter);
    return { applied };
  }

  /** Totals, the counts before `firstDay` and the per-day deltas from it: at most ~40 rows. */
  async read(counter: string, firstDay: string): Promise<CounterReading> {
    const keepFrom = addDays(shanghaiDate(new Date()), -KEPT_DAYS);
    const sql = this.ctx.storage.sql;
    const rows = this.ctx.storage.transactionSync(() => {
      // Days that left the kept window fold into the base row ('').
      const old = sql
        .exec<Counts>(
          "SELECT coalesce(sum(green),0) AS green, coalesce(sum(yellow),0) AS yellow, coalesce(sum(red),0) AS red FROM days WHERE day <> '' AND day < ?",
          keepFrom,
        )
        .one();
      if (old.green !== 0 || old.yellow !== 0 || old.red !== 0) {
        sql.exec(
          `INSERT INTO days (day, green, yellow, red) VALUES ('', ?, ?, ?)
           ON CONFLICT (day) DO UPDATE SET green = green + excluded.green,
             yellow = yellow + excluded.yellow, red = red + excluded.red`,
          old.green,
          old.yellow,
          old.red,
        );
      }
      sql.exec("DELETE FROM days WHERE day <> '' AND day < ?", keepFrom);
      return sql.exec<{ day: string } & Counts>("SELECT day, green, yellow, red FROM days").toArray();
    });
    let totals = zeroCounts();
    let base = zeroCounts();
    const days: ({ day: string } & Counts)[] = [];
    for (const r of rows) {
      const c = { green: r.green, yellow: r.yellow, red: r.red };
      totals = addCounts(totals, c);
      if (r.day < firstDay) base = addCounts(base, c);
      else days.push({ day: r.day, ...c });
    }
    return { counter, totals, base, days };
  }

  /** The statistics route finds this counter through D1; recorded once (retried until it succeeds). */
  private async register(counter: string): Promise<void> {
    if (this.ctx.storage.sql.exec("SELECT 1 FROM kv WHERE k = 'registered'").toArray().length > 0) return;
    await drizzle(this.env.DB)
      .insert(counterDistricts)
      .values({ counter, firstCountedAt: new Date().toISOString() })
      .onConflictDoNothing();
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO kv (k, v) VALUES ('registered', ?)", counter);
  }
}

function byDay(deltas: readonly Delta[]): Map<string, Counts> {
  const m = new Map<string, Counts>();
  for (const d of deltas) {
    const c = m.get(d.day) ?? zeroCounts();
    c[d.color] += d.n;
    m.set(d.day, c);
  }
  return m;
}
