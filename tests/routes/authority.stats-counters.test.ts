import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { prng } from "../helpers/counting-model";
import { applicant, residentId } from "../helpers/identities";

const DISTRICTS = ["510104", "510106", "510107", "110102"];
const PERSONS = 200;

async function inParallel<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

describe("statistics from the district counters", () => {
  it("equal a full recount of the persons' own colours after random transitions", async () => {
    const auth = await authorityToken();
    const rand = prng(15);
    const persons = await inParallel(PERSONS, 8, async (i) => {
      const district = DISTRICTS[i % DISTRICTS.length]!;
      const idNumber = residentId(district, "19770203", i);
      const token = await idToken(`stats-counter-${i}`, { idType: "resident_id", idNumber });
      const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
      expect(res.status).toBe(201);
      return { idNumber, district, personId: res.body.personId as string };
    });
    // Random transitions: a third of them get one or two authority events.
    await inParallel(PERSONS, 8, async (i) => {
      const events = rand() < 0.33 ? 1 + Math.floor(rand() * 2) : 0;
      for (let e = 0; e < events; e++) {
        const res = await call("POST", "/v1/authority/events", {
          token: auth,
          body: {
            idType: "resident_id",
            idNumber: persons[i]!.idNumber,
            kind: rand() < 0.5 ? "confirmed" : "close_contact",
            occurredAt: new Date(Date.now() - e * 3_600_000).toISOString(),
            reason: "Stats recount",
          },
        });
        expect(res.status).toBe(202);
      }
    });

    // The full recount: every person's colour from their own object, by district.
    const truth: Record<string, { green: number; yellow: number; red: number }> = {};
    for (const p of persons) {
      const s = await env.PERSON.getByName(p.personId).summary();
      truth[p.district] ??= { green: 0, yellow: 0, red: 0 };
      truth[p.district]![s!.color]++;
    }
    const byDistrict = (body: {
      byDistrict: { districtCode: string | null; green: number; yellow: number; red: number }[];
    }) =>
      Object.fromEntries(
        body.byDistrict.map((d) => [
          String(d.districtCode),
          { green: d.green, yellow: d.yellow, red: d.red },
        ]),
      );
    // Outboxes are flushed by the objects' alarms, shortly after each change.
    await vi.waitUntil(
      async () => {
        const res = await call("GET", "/v1/authority/stats", { token: auth });
        return (
          JSON.stringify(byDistrict(res.body)) ===
          JSON.stringify(
            byDistrict({
              byDistrict: Object.entries(truth)
                .sort()
                .map(([districtCode, c]) => ({ districtCode, ...c })),
            }),
          )
        );
      },
      { timeout: 60_000, interval: 250 },
    );
    const stats = (await call("GET", "/v1/authority/stats", { token: auth })).body;
    expect(byDistrict(stats)).toEqual(truth);
    expect(stats.total).toBe(PERSONS);
    const reds = Object.values(truth).reduce((n, c) => n + c.red, 0);
    expect(reds).toBeGreaterThan(0);
    expect(stats.byColor.red).toBe(reds);
    // Everyone applied today: today's point of the series is the totals.
    expect(stats.series).toHaveLength(30);
    expect(stats.series.at(-1)).toMatchObject(stats.byColor);
    expect(stats.series.at(-2)).toMatchObject({ green: 0, yellow: 0, red: 0 });
  }, 180_000);

  it("counts a person from before the counters once, on their next code refresh", async () => {
    const auth = await authorityToken();
    const idNumber = residentId("510108", "19800101", 7);
    const token = await idToken("stats-legacy", { idType: "resident_id", idNumber });
    const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    expect(res.status).toBe(201);
    const personId = res.body.personId as string;
    // As an object created before count items existed: nothing sent, nothing recorded, nobody counted
    // (this file's only person in 510108, so its counter is emptied whether or not it was told yet).
    await runDurableObjectAlarm(env.PERSON.getByName(personId));
    await runInDurableObject(env.PERSON.getByName(personId), (_o, state) => {
      state.storage.sql.exec("DELETE FROM kv WHERE k = 'counted'");
      state.storage.sql.exec(`DELETE FROM outbox WHERE json_extract(item, '$.kind') = 'count'`);
    });
    await runInDurableObject(env.DISTRICT_COUNTER.getByName("510108"), (_o, state) => {
      state.storage.sql.exec("DELETE FROM entries");
      state.storage.sql.exec("DELETE FROM days");
    });
    const inDistrict = async () =>
      (
        (await call("GET", "/v1/authority/stats", { token: auth })).body.byDistrict as {
          districtCode: string;
          green: number;
        }[]
      ).find((d) => d.districtCode === "510108")?.green ?? 0;
    expect(await inDistrict()).toBe(0);

    expect((await call("GET", `/v1/persons/${personId}/code`, { token })).status).toBe(200);
    expect((await call("GET", `/v1/persons/${personId}/code`, { token })).status).toBe(200);
    await vi.waitUntil(async () => (await inDistrict()) === 1, { timeout: 15_000, interval: 200 });
    await runDurableObjectAlarm(env.PERSON.getByName(personId));
    expect(await inDistrict()).toBe(1);
  });
});
