import { describe, expect, it } from "vitest";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { checkSubscription } from "../../workers/push/subscriptions";
import { call, env, idToken } from "../helpers/api";
import { browser } from "../helpers/push";

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
