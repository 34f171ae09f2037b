import type { Color } from "../schema/vocabulary";

/**
 * The arithmetic of a district's counter (durable/district-counter.ts), pure so it is tested in plain
 * Node against a full recount.
 *
 * A person's object sends, for every change of its counted (district, colour), a numbered entry to the
 * counter of its district (and, on a move, an entry with `color: null` to the district it left). The
 * counter keeps each person's entries in `seq` order (a timeline) and per-day deltas: every pair of
 * consecutive entries moves one person from the first entry's colour to the second's on the second's
 * day. Persons by colour at the end of day D are then the deltas summed up to D. Deliveries may come
 * twice or out of order: a duplicate changes nothing, and a late entry is slotted between its
 * neighbours (the transition pred→succ is replaced by pred→late→succ), so the result never depends
 * on the delivery order.
 */
export interface CountEntry {
  /** The person's counting sequence number (1, 2, ...; strictly increasing per person). */
  seq: number;
  /** The day (Asia/Shanghai, YYYY-MM-DD) the entry took effect. */
  day: string;
  /** The colour from then on, or null: not in this district from then on. */
  color: Color | null;
}

export interface Delta {
  day: string;
  color: Color;
  n: number;
}

export type Counts = Record<Color, number>;

export type Placement =
  | { kind: "duplicate" }
  /** Older than the history kept and before the window: it cannot change any count read. */
  | { kind: "stale" }
  | { kind: "insert"; deltas: Delta[] };

/** Where `x` goes in a person's timeline (sorted by `seq`) and what it changes in the per-day deltas. */
export function place(timeline: readonly CountEntry[], x: CountEntry, keepFrom: string): Placement {
  if (timeline.some((e) => e.seq === x.seq)) return { kind: "duplicate" };
  const first = timeline[0];
  // Entries are pruned only when an entry before `keepFrom` follows them (prunable below), so a first
  // entry dated before `keepFrom` may have lost older neighbours; anything older than it only moves
  // days before `keepFrom`, which reads fold into one base row and whose sum it leaves unchanged.
  if (first && x.seq < first.seq && first.day < keepFrom) return { kind: "stale" };
  let pred: CountEntry | undefined;
  let succ: CountEntry | undefined;
  for (const e of timeline) {
    if (e.seq < x.seq) pred = e;
    else if (!succ) succ = e;
  }
  const deltas: Delta[] = [];
  const add = (day: string, color: Color | null | undefined, n: number) => {
    if (color) deltas.push({ day, color, n });
  };
  add(x.day, pred?.color, -1);
  add(x.day, x.color, 1);
  if (succ) {
    // pred→succ is replaced by pred→x→succ.
    add(succ.day, pred?.color, 1);
    add(succ.day, x.color, -1);
  }
  return { kind: "insert", deltas: merge(deltas) };
}

/** Sums deltas of the same day and colour and drops those that cancel out. */
export function merge(deltas: readonly Delta[]): Delta[] {
  const m = new Map<string, Delta>();
  for (const d of deltas) {
    const k = `${d.day}|${d.color}`;
    const cur = m.get(k);
    if (cur) cur.n += d.n;
    else m.set(k, { ...d });
  }
  return [...m.values()].filter((d) => d.n !== 0);
}

/**
 * The `seq` below which a person's entries may be deleted: all but the last entry dated before
 * `keepFrom` (that one still says what the person was at the start of the kept days). Null: none.
 */
export function prunableBelow(timeline: readonly CountEntry[], keepFrom: string): number | null {
  let last: CountEntry | undefined;
  for (const e of timeline) if (e.day < keepFrom) last = e;
  return last && timeline[0] && timeline[0].seq < last.seq ? last.seq : null;
}

export const zeroCounts = (): Counts => ({ green: 0, yellow: 0, red: 0 });

export function addCounts(a: Counts, b: Counts): Counts {
  return { green: a.green + b.green, yellow: a.yellow + b.yellow, red: a.red + b.red };
}

const DAY_MS = 86_400_000;

/** `day` moved by `n` days (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Persons by colour at the end of each of `days` days from `firstDay`: `base` (every delta before
 * `firstDay`) plus the per-day deltas up to each day.
 */
export function seriesFrom(
  base: Counts,
  rows: readonly ({ day: string } & Counts)[],
  firstDay: string,
  days: number,
): ({ at: string } & Counts)[] {
  const byDay = new Map<string, Counts>();
  for (const r of rows) {
    byDay.set(r.day, addCounts(byDay.get(r.day) ?? zeroCounts(), r));
  }
  let running = { ...base };
  const out: ({ at: string } & Counts)[] = [];
  for (let i = 0; i < days; i++) {
    const at = addDays(firstDay, i);
    const d = byDay.get(at);
    if (d) running = addCounts(running, d);
    out.push({ at, ...running });
  }
  return out;
}
