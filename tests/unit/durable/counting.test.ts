import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CountDelivery, CounterReading } from "../../../durable/counter-types";
import {
  addDays,
  type CountEntry,
  type Counts,
  place,
  prunableBelow,
  seriesFrom,
  zeroCounts,
} from "../../../durable/counting";
import { statsFrom } from "../../../workers/authority/stats";
import { deliveriesOf, prng, randomTimelines, recount, scrambled } from "../../helpers/counting-model";

/** The district counter's storage in memory: timelines and per-day deltas, as the object keeps them. */
class MemoryCounter {
  timelines = new Map<string, CountEntry[]>();
  days = new Map<string, Counts>();
  constructor(readonly counter: string) {}
  apply(d: CountDelivery, keepFrom: string) {
    const timeline = this.timelines.get(d.personId) ?? [];
    const entry = { seq: d.seq, day: d.day, color: d.color };
    const p = place(timeline, entry, keepFrom);
    if (p.kind !== "insert") return;
    for (const delta of p.deltas) {
      const day = delta.day < keepFrom ? "" : delta.day;
      const c = this.days.get(day) ?? zeroCounts();
      c[delta.color] += delta.n;
      this.days.set(day, c);
    }
    const next = [...timeline, entry].sort((a, b) => a.seq - b.seq);
    const below = prunableBelow(next, keepFrom);
    this.timelines.set(
      d.personId,
      next.filter((e) => below === null || e.seq >= below),
    );
  }
  read(firstDay: string): CounterReading {
    const totals = zeroCounts();
    const base = zeroCounts();
    const days: CounterReading["days"] = [];
    for (const [day, c] of this.days) {
      for (const k of ["green", "yellow", "red"] as const) totals[k] += c[k];
      if (day < firstDay) for (const k of ["green", "yellow", "red"] as const) base[k] += c[k];
      else days.push({ day, ...c });
    }
    return { counter: this.counter, totals, base, days };
  }
}

const TODAY = "2026-11-30";
const COUNTERS = ["510104", "510106", "110102", "none"];

function runCounters(seed: number, persons: number, dupRate: number) {
  const rand = prng(seed);
  const items = randomTimelines(rand, persons, {
    counters: COUNTERS,
    today: TODAY,
    spanDays: 60,
    maxItems: 6,
  });
  const deliveries = scrambled(rand, items.flatMap(deliveriesOf), dupRate);
  const counters = new Map(COUNTERS.map((c) => [c, new MemoryCounter(c)]));
  const keepFrom = addDays(TODAY, -40);
  for (const { counter, delivery } of deliveries) counters.get(counter)!.apply(delivery, keepFrom);
  const firstDay = addDays(TODAY, -29);
  const stats = statsFrom(
    [...counters.values()].map((c) => c.read(firstDay)),
    firstDay,
    30,
  );
  return { stats, truth: recount(items, firstDay, 30), counters };
}

function byCounterOf(stats: ReturnType<typeof statsFrom>): Record<string, Counts> {
  return Object.fromEntries(
    stats.byDistrict.map((d) => [d.districtCode ?? "none", { green: d.green, yellow: d.yellow, red: d.red }]),
  );
}

describe("district counting", () => {
  it("equals a full recount whatever the order and duplication of deliveries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 60 }), (seed, persons) => {
        const { stats, truth } = runCounters(seed, persons, 0.5);
        expect(byCounterOf(stats)).toEqual(truth.byCounter);
        expect(stats.series).toEqual(truth.series);
        expect(stats.total).toBe(persons);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps only the entries that can still move a kept day", () => {
    const { counters } = runCounters(7, 300, 0.3);
    const keepFrom = addDays(TODAY, -40);
    for (const c of counters.values())
      for (const timeline of c.timelines.values())
        expect(timeline.filter((e) => e.day < keepFrom).length).toBeLessThanOrEqual(1);
  });

  it("slots a late entry between its neighbours", () => {
    const timeline: CountEntry[] = [
      { seq: 1, day: "2026-11-01", color: "green" },
      { seq: 3, day: "2026-11-05", color: "green" },
    ];
    const p = place(timeline, { seq: 2, day: "2026-11-03", color: "red" }, "2026-10-01");
    // Red from the 3rd to the 5th; the 5th's green-to-green transition becomes red-to-green.
    expect(p).toEqual({
      kind: "insert",
      deltas: [
        { day: "2026-11-03", color: "green", n: -1 },
        { day: "2026-11-03", color: "red", n: 1 },
        { day: "2026-11-05", color: "green", n: 1 },
        { day: "2026-11-05", color: "red", n: -1 },
      ],
    });
    expect(place(timeline, { seq: 3, day: "2026-11-05", color: "green" }, "2026-10-01")).toEqual({
      kind: "duplicate",
    });
  });

  it("builds the series from a base and per-day deltas", () => {
    expect(
      seriesFrom(
        { green: 5, yellow: 0, red: 0 },
        [
          { day: "2026-11-02", green: -1, yellow: 0, red: 1 },
          { day: "2026-11-02", green: 2, yellow: 0, red: 0 },
        ],
        "2026-11-01",
        3,
      ),
    ).toEqual([
      { at: "2026-11-01", green: 5, yellow: 0, red: 0 },
      { at: "2026-11-02", green: 6, yellow: 0, red: 1 },
      { at: "2026-11-03", green: 6, yellow: 0, red: 1 },
    ]);
  });
});
