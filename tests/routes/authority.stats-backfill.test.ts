// The counter backfill (workers/authority/stats-backfill.ts, durable/counter-backfill.ts): persons
// whose objects never counted themselves (registered before the district counters) are counted by
// walking every shard's directory in parallel ranges; a second run counts nobody twice.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, env, expectStatus, idToken } from "../helpers/api";
import { registryAudit } from "../helpers/audit";
import { applicant, residentId } from "../helpers/identities";

const DISTRICTS = ["510112", "510113", "510114"];
const PERSONS = 30;

type Counts = { green: number; yellow: number; red: number };
type Stats = { byDistrict: ({ districtCode: string } & Counts)[]; total: number };

const ours = (s: Stats) =>
  Object.fromEntries(
    s.byDistrict
      .filter((d) => DISTRICTS.includes(d.districtCode))
      .map((d) => [d.districtCode, { green: d.green, yellow: d.yellow, red: d.red }]),
  );

const progress = async (auth: string) =>
  expectStatus(await call("GET", "/v1/authority/stats/backfill", { token: auth }), 200).body;

async function backfillDone(auth: string) {
  let last: Awaited<ReturnType<typeof progress>> | undefined;
  await vi.waitUntil(
    async () => {
      last = await progress(auth);
      return last.running === 0 && last.done === last.ranges;
    },
    { timeout: 60_000, interval: 250 },
  );
  return last;
}

describe("counter backfill", () => {
  it("counts persons who never counted themselves, so the statistics equal a full recount; a second run counts nobody twice", async () => {
    const auth = await authorityToken();
    const persons = [];
    for (let i = 0; i < PERSONS; i++) {
      const district = DISTRICTS[i % DISTRICTS.length]!;
      const idNumber = residentId(district, "19810304", i);
      const token = await idToken(`backfill-${i}`, { idType: "resident_id", idNumber });
      const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
      expect(res.status).toBe(201);
      persons.push({ district, idNumber, personId: res.body.personId as string });
    }
    // Some colours other than green, so the recount compares colours, not just heads.
    for (const [i, p] of persons.entries()) {
      if (i % 4 !== 0) continue;
      const res = await call("POST", "/v1/authority/events", {
        token: auth,
        body: {
          idType: "resident_id",
          idNumber: p.idNumber,
          kind: i % 8 === 0 ? "confirmed" : "close_contact",
          occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
          reason: "backfill test",
        },
      });
      expect(res.status).toBe(202);
    }
    // The full recount, from every person's own object.
    const truth: Record<string, Counts> = {};
    for (const p of persons) {
      const s = await env.PERSON.getByName(p.personId).summary();
      truth[p.district] ??= { green: 0, yellow: 0, red: 0 };
      truth[p.district]![s!.color]++;
    }
    expect(Object.values(truth).some((c) => c.red + c.yellow > 0)).toBe(true);
    const expected = JSON.stringify(
      Object.fromEntries(DISTRICTS.filter((d) => truth[d]).map((d) => [d, truth[d]])),
    );
    const stats = async () => (await call("GET", "/v1/authority/stats", { token: auth })).body as Stats;
    const settled = () =>
      vi.waitUntil(async () => JSON.stringify(ours(await stats())) === expected, {
        timeout: 60_000,
        interval: 250,
      });
    // The ordinary flow's counts settle first, so none arrives after the counters are emptied.
    await settled();

    // As objects created before count items existed: nothing sent, nothing recorded, nobody counted.
    for (const p of persons) {
      const stub = env.PERSON.getByName(p.personId);
      await runDurableObjectAlarm(stub);
      await runInDurableObject(stub, (_o, state) => {
        state.storage.sql.exec("DELETE FROM kv WHERE k = 'counted'");
        state.storage.sql.exec(`DELETE FROM outbox WHERE json_extract(item, '$.kind') = 'count'`);
      });
    }
    for (const d of DISTRICTS)
      await runInDurableObject(env.DISTRICT_COUNTER.getByName(d), (_o, state) => {
        state.storage.sql.exec("DELETE FROM entries");
        state.storage.sql.exec("DELETE FROM days");
      });
    expect(ours(await stats())).toEqual({});

    const started = await call("POST", "/v1/authority/stats/backfill", {
      token: auth,
      body: { reason: "count persons registered before the counters" },
    });
    expect(started.status).toBe(202);
    expect(started.body.ranges).toBeGreaterThanOrEqual(256);
    expect(started.body.started).toBe(started.body.ranges);
    expect(await backfillDone(auth)).toMatchObject({ seen: PERSONS, counted: PERSONS });
    await settled();
    expect(ours(await stats())).toEqual(truth);

    // Again: every range walks again, nobody is counted twice, the statistics do not move.
    const again = await call("POST", "/v1/authority/stats/backfill", {
      token: auth,
      body: { reason: "once more" },
    });
    expect(again.status).toBe(202);
    expect(again.body.started).toBe(again.body.ranges);
    expect(await backfillDone(auth)).toMatchObject({ seen: PERSONS, counted: 0 });
    // Nothing waits to be sent either (running a person's alarm here would cross its review time).
    for (const p of persons)
      await runInDurableObject(env.PERSON.getByName(p.personId), (_o, state) => {
        const n = state.storage.sql
          .exec<{ n: number }>(
            `SELECT count(*) AS n FROM outbox WHERE json_extract(item, '$.kind') = 'count'`,
          )
          .one().n;
        expect(n).toBe(0);
      });
    expect(ours(await stats())).toEqual(truth);
    expect((await stats()).total).toBe(PERSONS);

    // Audited in the registry, with the reason.
    expect((await registryAudit("action = 'stats.backfill'")).map((r) => [r.actor_kind, r.reason])).toEqual([
      ["authority", "count persons registered before the counters"],
      ["authority", "once more"],
    ]);
  }, 240_000);

  it("refuses a person and a missing reason", async () => {
    const person = await idToken("backfill-stranger", {
      idType: "resident_id",
      idNumber: residentId("510112", "19900101", 900),
    });
    expect(
      (await call("POST", "/v1/authority/stats/backfill", { token: person, body: { reason: "x" } })).status,
    ).toBe(403);
    expect((await call("GET", "/v1/authority/stats/backfill", { token: person })).status).toBe(403);
    const bad = await call("POST", "/v1/authority/stats/backfill", {
      token: await authorityToken(),
      body: {},
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("reason");
    expect(await registryAudit("action = 'stats.backfill' AND reason = 'x'")).toEqual([]);
  });
});
