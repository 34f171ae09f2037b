// Issue 15: in steady state (caches warm, the person's object holding its managers), code refresh,
// verification and the person side of a check-in run no D1 statement at all; the figures are also
// printed by `npm run bench` (bench/d1-queries.mjs).
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { probeD1 } from "../../workers/lib/d1-probe";
import { authorityToken, call, env } from "../helpers/api";
import { probeObject } from "../helpers/d1-probe";
import { applied, colourChange, consume, subscribed } from "../helpers/notify";
import { received } from "../helpers/push";
import { aPerson, aVenue } from "./venues.fixtures";

/** The person-keyed D1 tables (the person shards): the person side of a request touches none of them. */
const PERSON_TABLES =
  /\b(persons|account_persons|color_snapshots|color_changes|paper_codes|revocations|push_subscriptions|test_results|vaccination_records|appeals|proxy_request_counters)\b/;

describe("hot paths read no D1 in steady state", () => {
  it("code refresh, verify and check-in: 0 statements once warm", async () => {
    const person = await aPerson("hot");
    const owner = await aPerson("hot-owner");
    const venue = await aVenue(owner.token);
    const second = await aVenue(owner.token, { name: "春熙路书店" });
    const { env: probed, probe } = probeD1(env);
    await probeObject(person.personId, probed);

    const code = () =>
      call("GET", `/v1/persons/${person.personId}/code`, { token: person.token, env: probed });
    const verify = (token: string) => call("POST", "/v1/verify", { body: { token }, env: probed });
    const checkIn = (placeCode = venue.placeCode) =>
      call("POST", "/v1/checkins", {
        token: person.token,
        body: { placeCode, personId: person.personId },
        env: probed,
      });
    // Warm-up: the first call of an isolate may fill bounded caches (signing keys, issuers, JWKS).
    const warm = await code();
    expect(warm.status).toBe(200);
    expect((await verify(warm.body.token)).status).toBe(200);
    expect((await checkIn()).status).toBe(201);

    probe.reset();
    const fresh = await code();
    expect(fresh.status).toBe(200);
    expect(fresh.body.color).toBe("green");
    expect(probe.queries).toEqual([]);

    const v = await verify(fresh.body.token);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ valid: true, color: "green", current: true });
    expect(probe.queries).toEqual([]);

    // Check-in: the venue side is the venue objects' (another part of issue 15); the person side
    // (access, colour) comes from the person's object only.
    const ci = await checkIn(second.placeCode);
    expect(ci.status).toBe(201);
    expect(probe.queries.filter((q) => PERSON_TABLES.test(q))).toEqual([]);

    // The probe does see D1 when a route uses it (the statistics read their counters' list there).
    probe.reset();
    expect(
      (await call("GET", "/v1/authority/stats", { token: await authorityToken(), env: probed })).status,
    ).toBe(200);
    expect(probe.queries.some((q) => q.includes("counter_districts"))).toBe(true);
  });

  it("the notify consumer: 0 statements, to a subscription added after the person applied", async () => {
    const { token, personId } = await applied("hot-notify");
    const phone = await subscribed(token);
    // The object's own outbox (its first snapshot) is flushed first: the probe counts the consumer only.
    await runDurableObjectAlarm(env.PERSON.getByName(personId));
    const { env: probed, probe } = probeD1(env);
    await probeObject(personId, probed);

    const change = colourChange(personId);
    expect((await consume([change], { env: probed })).explicitAcks).toEqual(["m0"]);
    expect(probe.queries).toEqual([]);
    const [push] = await received(phone.subscription.endpoint);
    expect(await phone.read(push!)).toEqual({
      personId,
      color: "red",
      previousColor: "green",
      at: change.at,
    });
  });
});
