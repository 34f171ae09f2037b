// Issue 15: the notify path reads no D1 in steady state. The person's object keeps the push
// subscriptions of the accounts managing the person, kept in step with D1 (the record) by the push
// routes; the consumer pushes a few itself and queues a delivery each for more.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { probeD1 } from "../../workers/lib/d1-probe";
import { type DeliverMessage, DIRECT_PUSHES } from "../../workers/push/notify-consumer";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { call, env, idToken } from "../helpers/api";
import { probeObject } from "../helpers/d1-probe";
import { applicant, freshResidentId } from "../helpers/identities";
import { applied, colourChange, consume, subscribed } from "../helpers/notify";
import { browser, type CapturedPush, copyToObject, pushEndpoint, received } from "../helpers/push";

const arrives = (endpoint: string, count = 1) =>
  vi.waitUntil(
    async () => {
      const got = await received(endpoint);
      return got.length >= count ? got : undefined;
    },
    { timeout: 15_000, interval: 200 },
  ) as Promise<CapturedPush[]>;

/** Makes the object look like one from before it kept subscriptions (migration 5 ran on empty tables). */
async function forgetCopies(personId: string) {
  await runInDurableObject(env.PERSON.getByName(personId), (_, state) => {
    state.storage.sql.exec("DELETE FROM push_targets");
    state.storage.sql.exec("DELETE FROM push_accounts");
  });
}

describe("the notify consumer and D1 (its steady state, 0 statements, is in tests/routes/hot-paths.d1.test.ts)", () => {
  it("an object from before it kept subscriptions reads D1 once, then never again", async () => {
    const { token, personId } = await applied("notify-d1-legacy");
    const phone = await subscribed(token);
    await forgetCopies(personId);
    await runDurableObjectAlarm(env.PERSON.getByName(personId));
    const { env: probed, probe } = probeD1(env);
    await probeObject(personId, probed);

    expect((await consume([colourChange(personId)], { env: probed })).explicitAcks).toEqual(["m0"]);
    expect(probe.queries.filter((q) => q.includes("push_subscriptions"))).toHaveLength(1);
    expect(await received(phone.subscription.endpoint)).toHaveLength(1);

    probe.reset();
    expect((await consume([colourChange(personId, "yellow", "red")], { env: probed })).explicitAcks).toEqual([
      "m0",
    ]);
    expect(probe.queries).toEqual([]);
    expect(await received(phone.subscription.endpoint)).toHaveLength(2);
  });
});

describe("the object's copies follow D1", () => {
  it("an unsubscribed endpoint gets nothing; a late copy of its subscribe does not bring it back", async () => {
    const { token, personId } = await applied("notify-unsub");
    const kept = await subscribed(token);
    const dropped = await subscribed(token);
    const row = await subscriptionByEndpoint(env, dropped.subscription.endpoint);
    const del = await call("DELETE", "/v1/push/subscriptions", {
      token,
      body: { endpoint: dropped.subscription.endpoint },
    });
    expect(del.status).toBe(204);
    // The subscribe's update delivered again after the removal (a reordered retry): still removed.
    await copyToObject(personId, row!, Date.now() + 60_000);

    await consume([colourChange(personId)]);
    expect(await received(kept.subscription.endpoint)).toHaveLength(1);
    expect(await received(dropped.subscription.endpoint)).toEqual([]);
  });

  it("refreshed keys are not overwritten by an older copy delivered late", async () => {
    const { token, personId } = await applied("notify-refresh");
    const old = await subscribed(token);
    const row = await subscriptionByEndpoint(env, old.subscription.endpoint);
    // The browser re-subscribes the same endpoint with new keys (200: same id, keys refreshed).
    const fresh = await browser(old.subscription.endpoint);
    const res = await call("POST", "/v1/push/subscriptions", {
      token,
      body: { subscription: fresh.subscription },
    });
    expect(res.status).toBe(200);
    // The first subscribe's update arrives again, late.
    await copyToObject(personId, row!, Date.now() - 60_000);
    await consume([colourChange(personId)]);
    const [push] = await received(old.subscription.endpoint);
    // Readable with the new keys only.
    expect(await fresh.read(push!)).toMatchObject({ personId, color: "red" });
    await expect(old.read(push!)).rejects.toThrow();
  });

  it("a manager the person removes stops receiving at once", async () => {
    const idNumber = freshResidentId();
    const { token: own, personId } = await applied("notify-rm-self", {}, idNumber);
    const child = await idToken("notify-rm-child");
    const asked = await call("POST", "/v1/persons", {
      token: child,
      body: applicant(idNumber, { relationship: "parent" }),
    });
    expect(asked.status).toBe(202);
    const childPhone = await subscribed(child);
    const ownPhone = await subscribed(own);
    // Pending: nothing yet.
    await consume([colourChange(personId)]);
    expect(await received(childPhone.subscription.endpoint)).toEqual([]);
    expect(
      (await call("POST", `/v1/persons/${personId}/managers/${asked.body.requestId}/approve`, { token: own }))
        .status,
    ).toBe(200);
    // Approved: the child's subscription (made before) was read into the object.
    await consume([colourChange(personId, "yellow", "red")]);
    expect(await received(childPhone.subscription.endpoint)).toHaveLength(1);

    const del = await call("DELETE", `/v1/persons/${personId}/managers/${asked.body.requestId}`, {
      token: own,
    });
    expect(del.status).toBe(204);
    await consume([colourChange(personId, "green", "yellow")]);
    expect(await received(ownPhone.subscription.endpoint)).toHaveLength(3);
    expect(await received(childPhone.subscription.endpoint)).toHaveLength(1);
  });

  it("an endpoint gone at the push service (410) leaves D1 and the objects of every person its account manages", async () => {
    const parent = await applied("notify-gone-parent");
    const kid = await call("POST", "/v1/persons", {
      token: parent.token,
      body: applicant(freshResidentId(), { relationship: "child", name: "李小明" }),
    });
    expect(kid.status).toBe(201);
    const gone = await subscribed(parent.token, pushEndpoint(410));
    await consume([colourChange(parent.personId)]);
    expect(await received(gone.subscription.endpoint)).toHaveLength(1);
    expect(await subscriptionByEndpoint(env, gone.subscription.endpoint)).toBeUndefined();
    // The child's object no longer pushes to it either.
    await consume([colourChange(kid.body.personId)]);
    expect(await received(gone.subscription.endpoint)).toHaveLength(1);
  });
});

describe("redelivery does not push twice", () => {
  it("a redelivered colour change (few subscriptions, pushed directly) reaches each subscription once", async () => {
    const { token, personId } = await applied("notify-redeliver");
    const phones = [await subscribed(token), await subscribed(token)];
    const change = colourChange(personId);
    await consume([change]);
    await consume([change], { attempts: 2 });
    for (const p of phones) expect(await received(p.subscription.endpoint)).toHaveLength(1);
  });

  it(`more than ${DIRECT_PUSHES} subscriptions go through a delivery each; a delivery consumed twice pushes once`, async () => {
    const { token, personId } = await applied("notify-wide");
    const phones = [];
    for (let i = 0; i <= DIRECT_PUSHES; i++) phones.push(await subscribed(token));
    const change = colourChange(personId);
    expect((await consume([change])).explicitAcks).toEqual(["m0"]);
    for (const p of phones) await arrives(p.subscription.endpoint);

    // The same delivery again (as a queue may redeliver it): already pushed, so acked unsent.
    const row = await subscriptionByEndpoint(env, phones[0]!.subscription.endpoint);
    const { kind: _, personId: __, ...payload } = change;
    const again: DeliverMessage = {
      kind: "deliver",
      subscriptionId: row!.id,
      accountId: row!.accountId,
      payload: { personId, ...payload },
    };
    expect((await consume([again], { attempts: 2 })).explicitAcks).toEqual(["m0"]);
    expect(await received(phones[0]!.subscription.endpoint)).toHaveLength(1);
    // And the fan-out redelivered finds nobody left to push to.
    await consume([change], { attempts: 2 });
    for (const p of phones) expect(await received(p.subscription.endpoint)).toHaveLength(1);
  });
});
