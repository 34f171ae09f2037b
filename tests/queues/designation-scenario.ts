// A designation over many venues and visits, end to end through the real exposure queue (not a test
// file itself: tests/queues/exposure.venues.test.ts runs it small, the reliability suite at 20,000
// visits over 200 venues).
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { expect, vi } from "vitest";
import worker from "../../workers/index";
import type { ExposureMessage } from "../../workers/risk-areas/fanout";
import { authorityToken, call, env } from "../helpers/api";
import { insertCheckIns, randomPersonId, touchedBy } from "../routes/venues.fixtures";

/** Verified directory rows in one district, written straight to D1 (an account may register only 20). */
async function insertVenues(n: number, districtCode: string): Promise<string[]> {
  const tag = Date.now().toString(36);
  const ids = Array.from({ length: n }, (_, i) => `ven_scale${tag}_${String(i).padStart(4, "0")}`);
  const now = new Date().toISOString();
  const statements = ids.map((id, i) =>
    env.DB.prepare(
      `INSERT INTO venues (venue_id, owner_account_id, name, category, address, district_code, place_code_gen,
         created_at, updated_at, status) VALUES (?, 'acct-scale', ?, 'market', '金牛区', ?, 1, ?, ?, 'verified')`,
    ).bind(id, `市场${i}`, districtCode, now, now),
  );
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
  return ids;
}

/** Waits until `done(x)` holds for every item, asking again only for the ones not done yet. */
async function untilEvery<T>(items: T[], done: (x: T) => Promise<boolean>, timeout: number): Promise<void> {
  let pending = items;
  await vi.waitUntil(
    async () => {
      const left: T[] = [];
      for (let i = 0; i < pending.length; i += 200) {
        const part = pending.slice(i, i + 200);
        const ok = await Promise.all(part.map(done));
        part.forEach((x, j) => {
          if (!ok[j]) left.push(x);
        });
      }
      pending = left;
      return pending.length === 0;
    },
    { timeout, interval: 500 },
  );
}

export async function designationScenario(opts: {
  venues: number;
  visitsPerVenue: number;
  /** Distinct persons; fewer than the visits, so some visited several covered venues. */
  persons: number;
  districtCode: string;
  timeout: number;
}) {
  const venueIds = await insertVenues(opts.venues, opts.districtCode);
  const personIds = Array.from({ length: opts.persons }, () => randomPersonId());
  const t0 = Date.now() - 3_600_000;
  const rows = venueIds.flatMap((venueId, v) =>
    Array.from({ length: opts.visitsPerVenue }, (_, j) => {
      const k = v * opts.visitsPerVenue + j;
      return {
        checkInId: `ci_scale_${String(k).padStart(6, "0")}`,
        venueId,
        personId: personIds[k % opts.persons]!,
        checkedInAt: new Date(t0 + (k % 600) * 1000).toISOString(),
        presence: "location" as const,
      };
    }),
  );
  await insertCheckIns(rows);
  const expected = new Map<string, Set<string>>();
  for (const r of rows) expected.set(r.personId, (expected.get(r.personId) ?? new Set()).add(r.checkInId));

  const token = await authorityToken();
  const body = {
    level: "high",
    districtCode: opts.districtCode,
    from: new Date(t0 - 60_000).toISOString(),
    to: new Date().toISOString(),
    reason: "scale",
  };
  const dry = await call("POST", "/v1/authority/risk-areas", { token, body: { ...body, dryRun: true } });
  expect(dry.status).toBe(200);
  // Distinct persons across the covered venues, not visits.
  expect(dry.body).toMatchObject({ affectedPersons: opts.persons, venues: opts.venues });

  const started = Date.now();
  const res = await call("POST", "/v1/authority/risk-areas", { token, body: { ...body, confirm: true } });
  expect(res.status).toBe(201);
  const { riskAreaId } = res.body;
  const exposureIds = async (personId: string) =>
    new Set((await env.PERSON.getByName(personId).facts("exposure")).map((f) => f.id));
  const complete = async (personId: string) => {
    const ids = await exposureIds(personId);
    return [...expected.get(personId)!].every((c) => ids.has(`exposure:${riskAreaId}:${c}`));
  };
  await untilEvery(personIds, complete, opts.timeout);
  const exposureMs = Date.now() - started;

  // Exactly once: each visitor holds one exposure per visit of theirs, nothing else.
  const exact = async () => {
    for (let i = 0; i < personIds.length; i += 200) {
      const part = personIds.slice(i, i + 200);
      const got = await Promise.all(part.map(exposureIds));
      part.forEach((p, j) => {
        expect([...got[j]!].sort()).toEqual(
          [...expected.get(p)!].map((c) => `exposure:${riskAreaId}:${c}`).sort(),
        );
      });
    }
  };
  await exact();
  expect((await touchedBy(riskAreaId)).size).toBe(opts.persons);

  // Re-delivered messages (at-least-once): the first venues' pages again, consumed here to the end.
  const again: ExposureMessage[] = venueIds
    .slice(0, 5)
    .map((venueId) => ({ type: "venue", riskAreaId, venueId, after: null }));
  const batch = createMessageBatch(
    "healthpass-exposure",
    again.map((m, i) => ({ id: `again-${i}`, timestamp: new Date(), attempts: 2, body: m })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(again.length);
  await exact();

  // The lift reaches everyone the designation touched.
  const lift = await call("POST", `/v1/authority/risk-areas/${riskAreaId}/lift`, {
    token,
    body: { reason: "cleared" },
  });
  expect(lift.status).toBe(200);
  expect(lift.body.persons).toBe(opts.persons);
  await untilEvery(
    personIds,
    async (p) =>
      (await env.PERSON.getByName(p).facts("risk_area_lifted")).some((f) => f.id === `lifted:${riskAreaId}`),
    opts.timeout,
  );
  return { exposureMs, visits: rows.length };
}
