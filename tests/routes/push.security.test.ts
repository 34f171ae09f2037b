import { describe, expect, it } from "vitest";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { checkSubscription } from "../../workers/push/subscriptions";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { applied, colourChange, consume, subscribed } from "../helpers/notify";
import { browser, copyToObject, received } from "../helpers/push";

async function subscribeAt(endpoint: string, opts: { env?: Env } = {}) {
  const { subscription } = await browser(endpoint);
  const token = await idToken("push-ssrf");
  return call("POST", "/v1/push/subscriptions", { token, body: { subscription }, ...opts });
}

describe("the push service must not become a way to reach internal hosts", () => {
  it.each([
    "https://10.0.0.1/push",
    "https://192.168.1.20/push",
    "https://169.254.169.254/latest/meta-data",
    "https://127.0.0.1/push",
    "https://0x7f.1/push",
    "https://[::1]/push",
    "https://[::ffff:127.0.0.1]/push",
    "https://[fd00::1]/push",
    "https://metadata.internal/push",
    "https://printer.local/push",
    "https://intranet/push",
    "https://user:pw@push.example.net/push",
  ])("refuses %s", async (endpoint) => {
    const res = await subscribeAt(endpoint);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("subscription.endpoint");
    expect(await subscriptionByEndpoint(env, endpoint)).toBeUndefined();
  });

  it("accepts loopback http only in development mode", async () => {
    expect((await subscribeAt("http://127.0.0.1:9999/push/dev")).status).toBe(201);
    // Outside development mode the development identity provider is off too, so no request can get
    // past authentication here; the route's check is the same function, with devMode from config.
    const { subscription } = await browser("http://127.0.0.1:9999/push/prod");
    expect(await checkSubscription(subscription, { devMode: false, prefix: "subscription" })).toEqual([
      { path: "subscription.endpoint", message: "endpoint must use https" },
    ]);
  });

  it("needs an ID token to subscribe or unsubscribe", async () => {
    const { subscription } = await browser();
    expect((await call("POST", "/v1/push/subscriptions", { body: { subscription } })).status).toBe(401);
    expect(
      (await call("DELETE", "/v1/push/subscriptions", { body: { endpoint: subscription.endpoint } })).status,
    ).toBe(401);
  });

  it("deletes only the caller's own subscription", async () => {
    const owner = await idToken("push-owner");
    const other = await idToken("push-other");
    const { subscription } = await browser();
    await call("POST", "/v1/push/subscriptions", { token: owner, body: { subscription } });
    const res = await call("DELETE", "/v1/push/subscriptions", {
      token: other,
      body: { endpoint: subscription.endpoint },
    });
    expect(res.status).toBe(404);
    expect(await subscriptionByEndpoint(env, subscription.endpoint)).toBeDefined();
    const own = await call("DELETE", "/v1/push/subscriptions", {
      token: owner,
      body: { endpoint: subscription.endpoint },
    });
    expect(own.status).toBe(204);
  });
});

describe("a subscription receives only the notices of persons its account manages", () => {
  it("a stranger, or an account whose request is still pending, gets none of the person's colour changes", async () => {
    const idNumber = freshResidentId();
    const { token: own, personId } = await applied("push-sec-owner", {}, idNumber);
    const ownPhone = await subscribed(own);
    const stranger = await subscribed(await idToken("push-sec-stranger"));
    const asker = await idToken("push-sec-asker");
    const askerPhone = await subscribed(asker);
    const asked = await call("POST", "/v1/persons", {
      token: asker,
      body: applicant(idNumber, { relationship: "child" }),
    });
    expect(asked.status).toBe(202);
    // Even told directly (as a forged copy of its D1 row would be), the object keeps no stranger's endpoint.
    const row = await subscriptionByEndpoint(env, stranger.subscription.endpoint);
    await copyToObject(personId, row!, Date.now());

    await consume([colourChange(personId)]);
    expect(await received(ownPhone.subscription.endpoint)).toHaveLength(1);
    expect(await received(stranger.subscription.endpoint)).toEqual([]);
    expect(await received(askerPhone.subscription.endpoint)).toEqual([]);
  });

  it("registering an endpoint another account holds (409) moves nothing: its owner still gets the person's changes", async () => {
    const { token, personId } = await applied("push-sec-victim");
    const phone = await subscribed(token);
    const thief = await idToken("push-sec-thief");
    const { subscription } = await browser(phone.subscription.endpoint);
    expect(
      (await call("POST", "/v1/push/subscriptions", { token: thief, body: { subscription } })).status,
    ).toBe(409);
    await consume([colourChange(personId)]);
    const [push] = await received(phone.subscription.endpoint);
    // Encrypted with the owner's keys, not the keys the thief sent.
    expect(await phone.read(push!)).toMatchObject({ personId, color: "red" });
  });
});
