import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../workers/index";
import type { ExposureMessage } from "../../workers/risk-areas/fanout";
import { authorityToken, call, env } from "../helpers/api";
import { aPerson, aVenue, insertCheckIns, randomPersonId, touchedBy } from "../routes/venues.fixtures";

const N = 2000;

describe("exposure fan-out through the queue", () => {
  it(`a designation over a venue with ${N} check-ins reaches every person exactly once, and a re-sent message doubles nothing`, async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token, { name: "大型商场" });
    const t0 = Date.now() - 30 * 60_000;
    const rows = Array.from({ length: N }, (_, i) => ({
      checkInId: `ci_bulk_${String(i).padStart(5, "0")}`,
      venueId: venue.venueId,
      personId: randomPersonId(),
      // Many share a timestamp, so the keyset must break ties by id to lose or repeat none.
      checkedInAt: new Date(t0 + Math.floor(i / 7) * 1000).toISOString(),
    }));
    await insertCheckIns(rows);

    const res = await call("POST", "/v1/authority/risk-areas", {
      token: await authorityToken(),
      body: {
        level: "high",
        venueIds: [venue.venueId],
        from: new Date(t0 - 60_000).toISOString(),
        to: new Date().toISOString(),
        reason: "bulk",
        confirm: true,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.affectedPersons).toBe(N);
    const { riskAreaId } = res.body;

    await vi.waitUntil(async () => (await touchedBy(riskAreaId)).size === N, {
      timeout: 90_000,
      interval: 1000,
    });
    const sample = rows.filter((_, i) => i % 97 === 0 || i === N - 1);
    await vi.waitUntil(
      async () => {
        const counts = await Promise.all(
          sample.map(async (r) => (await env.PERSON.getByName(r.personId).facts("exposure")).length),
        );
        return counts.every((n) => n === 1);
      },
      { timeout: 30_000, interval: 500 },
    );
    for (const r of sample) {
      const facts = await env.PERSON.getByName(r.personId).facts("exposure");
      expect(facts).toEqual([
        expect.objectContaining({
          id: `exposure:${riskAreaId}:${r.checkInId}`,
          venueName: "大型商场",
          visitedAt: r.checkedInAt,
        }),
      ]);
    }

    // Re-deliver the venue list and the venue's first page: nothing is added twice.
    const messages: ExposureMessage[] = [
      { type: "venues", riskAreaId, after: "" },
      { type: "venue", riskAreaId, venueId: venue.venueId, after: null },
    ];
    const batch = createMessageBatch(
      "healthpass-exposure",
      messages.map((body, i) => ({ id: `dup-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["dup-0", "dup-1"]);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await touchedBy(riskAreaId)).size).toBe(N);
    for (const r of sample) expect(await env.PERSON.getByName(r.personId).facts("exposure")).toHaveLength(1);
  }, 600_000);
});
