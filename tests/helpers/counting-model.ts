// Pure helpers for the counter tests (plain Node and workerd): random person timelines, the deliveries
// a person object sends for them, and the full recount the counters must equal.
import type { CountDelivery } from "../../durable/counter-types";
import { addDays, type Counts } from "../../durable/counting";
import { COLORS, type Color } from "../../schema/vocabulary";

/** A person's count item, as durable/count-items.ts makes it. */
export interface PersonItem {
  personId: string;
  seq: number;
  day: string;
  color: Color;
  counter: string;
  left: string | null;
}

/** What deliverCountItems sends for an item: to its counter, and a leave to the district it left. */
export function deliveriesOf(item: PersonItem): { counter: string; delivery: CountDelivery }[] {
  const base = { personId: item.personId, seq: item.seq, day: item.day };
  const out = [{ counter: item.counter, delivery: { ...base, color: item.color as Color | null } }];
  if (item.left) out.push({ counter: item.left, delivery: { ...base, color: null } });
  return out;
}

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each person: 1 to `maxItems` items over the `spanDays` days ending `today`, days non-decreasing,
 * every item changing the colour or the district (as a person object only then sends one).
 */
export function randomTimelines(
  rand: () => number,
  persons: number,
  opts: { counters: readonly string[]; today: string; spanDays: number; maxItems: number },
): PersonItem[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const items: PersonItem[] = [];
  for (let p = 0; p < persons; p++) {
    const personId = `p${p.toString(36)}`;
    let dayOffset = -Math.floor(rand() * opts.spanDays);
    let counter = pick(opts.counters);
    let color: Color = "green";
    const n = 1 + Math.floor(rand() * opts.maxItems);
    for (let seq = 1; seq <= n; seq++) {
      let left: string | null = null;
      if (seq > 1) {
        dayOffset = Math.min(0, dayOffset + Math.floor(rand() * 8));
        if (rand() < 0.2 && opts.counters.length > 1) {
          const next = pick(opts.counters.filter((c) => c !== counter));
          left = counter;
          counter = next;
        } else color = pick(COLORS.filter((c) => c !== color));
      }
      items.push({ personId, seq, day: addDays(opts.today, dayOffset), color, counter, left });
    }
  }
  return items;
}

/** Duplicates about `dupRate` of the deliveries and shuffles them all (Fisher–Yates). */
export function scrambled<T>(rand: () => number, xs: readonly T[], dupRate: number): T[] {
  const out = [...xs];
  for (const x of xs) if (rand() < dupRate) out.push(x);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Recount {
  /** Persons by colour per counter, counters with nobody left out. */
  byCounter: Record<string, Counts>;
  series: ({ at: string } & Counts)[];
}

/** The full scan the counters must equal: each person's latest item, now and at the end of each day. */
export function recount(items: readonly PersonItem[], firstDay: string, days: number): Recount {
  const byPerson = new Map<string, PersonItem[]>();
  for (const i of items) byPerson.set(i.personId, [...(byPerson.get(i.personId) ?? []), i]);
  const latest = (list: PersonItem[], upTo: string | null) => {
    let best: PersonItem | undefined;
    for (const i of list) if ((upTo === null || i.day <= upTo) && (!best || i.seq > best.seq)) best = i;
    return best;
  };
  const byCounter: Record<string, Counts> = {};
  for (const list of byPerson.values()) {
    const l = latest(list, null)!;
    byCounter[l.counter] ??= { green: 0, yellow: 0, red: 0 };
    byCounter[l.counter]![l.color]++;
  }
  const series: ({ at: string } & Counts)[] = [];
  for (let d = 0; d < days; d++) {
    const at = addDays(firstDay, d);
    const c: Counts = { green: 0, yellow: 0, red: 0 };
    for (const list of byPerson.values()) {
      const l = latest(list, at);
      if (l) c[l.color]++;
    }
    series.push({ at, ...c });
  }
  return { byCounter, series };
}
