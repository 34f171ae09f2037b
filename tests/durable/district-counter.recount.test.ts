import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CountDelivery } from "../../durable/counter-types";
import { addDays } from "../../durable/counting";
import { statsFrom } from "../../workers/authority/stats";
import { shanghaiDate } from "../../workers/lib/shanghai";
import { deliveriesOf, prng, randomTimelines, recount, scrambled } from "../helpers/counting-model";

const PERSONS = 100_000;
const BATCH = 2_000;

describe("district counters at scale", () => {
  it("equal a full recount of 100,000 persons after duplicated, out-of-order deliveries", async () => {
    const today = shanghaiDate(new Date());
    // Counters only this test uses (the seed is fixed so a failure replays).
    const counters = ["510104", "510106", "510107", "510108", "510112", "513425", "110102", "none"].map(
      (c) => `recount-${c}`,
    );
    const rand = prng(20261130);
    const items = randomTimelines(rand, PERSONS, { counters, today, spanDays: 60, maxItems: 5 });
    const deliveries = scrambled(rand, items.flatMap(deliveriesOf), 0.3);
    const byCounter = new Map<string, CountDelivery[]>(counters.map((c) => [c, []]));
    for (const { counter, delivery } of deliveries) byCounter.get(counter)!.push(delivery);
    // Every counter is fed in parallel, in batches, as many person objects would.
    await Promise.all(
      [...byCounter].map(async ([counter, list]) => {
        const stub = env.DISTRICT_COUNTER.getByName(counter);
        for (let i = 0; i < list.length; i += BATCH) await stub.apply(counter, list.slice(i, i + BATCH));
      }),
    );
    // A second full replay (an outbox retried after a lost answer) changes nothing.
    const replay = deliveries.slice(0, 20_000);
    const again = await Promise.all(
      counters.map((counter) =>
        env.DISTRICT_COUNTER.getByName(counter).apply(
          counter,
          replay.filter((d) => d.counter === counter).map((d) => d.delivery),
        ),
      ),
    );
    expect(again.every((r) => r.applied === 0)).toBe(true);

    const firstDay = addDays(today, -29);
    const readings = await Promise.all(
      counters.map((c) => env.DISTRICT_COUNTER.getByName(c).read(c, firstDay)),
    );
    const stats = statsFrom(readings, firstDay, 30);
    const truth = recount(items, firstDay, 30);
    expect(stats.total).toBe(PERSONS);
    expect(
      Object.fromEntries(
        stats.byDistrict.map((d) => [d.districtCode, { green: d.green, yellow: d.yellow, red: d.red }]),
      ),
    ).toEqual(truth.byCounter);
    expect(stats.series).toEqual(truth.series);
    // Each counter answers in at most ~40 day rows, not a row per person.
    for (const r of readings) expect(r.days.length).toBeLessThanOrEqual(30);
    // Every counter registered itself for the statistics route.
    const registered = await env.DB.prepare(
      "SELECT counter FROM counter_districts WHERE counter LIKE 'recount-%'",
    ).all();
    expect(registered.results).toHaveLength(counters.length);
  }, 600_000);
});
