import { describe, expect, it } from "vitest";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { call, env, idToken, type OpenApiDocument } from "../helpers/api";
import { browser, pushEndpoint } from "../helpers/push";

describe("push subscriptions", () => {
  it("serves the VAPID public key without a credential, as a browser's applicationServerKey", async () => {
    const res = await call("GET", "/v1/push/vapid-public-key");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key: env.VAPID_PUBLIC_KEY });
    const point = Uint8Array.from(atob(res.body.key.replace(/-/g, "+").replace(/_/g, "/")), (c) =>
      c.charCodeAt(0),
    );
    expect(point.length).toBe(65);
    expect(point[0]).toBe(4);
  });

  it("subscribes (201), and the same endpoint again from the same account is 200", async () => {
    const token = await idToken("push-happy-1");
    const b = await browser();
    const first = await call("POST", "/v1/push/subscriptions", {
      token,
      body: { subscription: b.subscription },
    });
    expect(first.status).toBe(201);
    expect(first.body.endpoint).toBe(b.subscription.endpoint);
    const again = await call("POST", "/v1/push/subscriptions", {
      token,
      body: { subscription: { ...b.subscription, expirationTime: null } },
    });
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(first.body.createdAt);
  });

  it("an endpoint stays with the account that registered it; once it deletes it, another account may register it", async () => {
    const b = await browser();
    const first = await idToken("push-happy-shared-phone-a");
    const second = await idToken("push-happy-shared-phone-b");
    await call("POST", "/v1/push/subscriptions", { token: first, body: { subscription: b.subscription } });
    const before = await subscriptionByEndpoint(env, b.subscription.endpoint);
    const taken = await call("POST", "/v1/push/subscriptions", {
      token: second,
      body: { subscription: b.subscription },
    });
    expect(taken.status).toBe(409);
    expect(taken.headers.get("content-type")).toContain("application/problem+json");
    expect(await subscriptionByEndpoint(env, b.subscription.endpoint)).toEqual(before);
    // The phone changes hands: the first account lets go, and the second registers it afresh.
    const del = await call("DELETE", "/v1/push/subscriptions", {
      token: first,
      body: { endpoint: b.subscription.endpoint },
    });
    expect(del.status).toBe(204);
    const moved = await call("POST", "/v1/push/subscriptions", {
      token: second,
      body: { subscription: b.subscription },
    });
    expect(moved.status).toBe(201);
    const after = await subscriptionByEndpoint(env, b.subscription.endpoint);
    expect(after?.accountId).not.toBe(before?.accountId);
    // A new id, so deliveries queued for the first account cannot reach the second.
    expect(after?.id).not.toBe(before?.id);
  });

  it("unsubscribes (204) and the subscription is gone", async () => {
    const token = await idToken("push-happy-2");
    const b = await browser(pushEndpoint());
    await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } });
    const res = await call("DELETE", "/v1/push/subscriptions", {
      token,
      body: { endpoint: b.subscription.endpoint },
    });
    expect(res.status).toBe(204);
    expect(await subscriptionByEndpoint(env, b.subscription.endpoint)).toBeUndefined();
  });

  it("keeps at most ten subscriptions per account, evicting the oldest", async () => {
    const token = await idToken("push-happy-reinstalls");
    const endpoints: string[] = [];
    for (let i = 0; i < 11; i++) {
      const b = await browser();
      endpoints.push(b.subscription.endpoint);
      expect(
        (await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } }))
          .status,
      ).toBe(201);
    }
    expect(await subscriptionByEndpoint(env, endpoints[0]!)).toBeUndefined();
    expect(await subscriptionByEndpoint(env, endpoints[10]!)).toBeDefined();
    expect(await subscriptionByEndpoint(env, endpoints[1]!)).toBeDefined();
  });

  it("lists the push routes in /openapi.json", async () => {
    const doc = await call<OpenApiDocument>("GET", "/openapi.json");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/v1/push/vapid-public-key", "/v1/push/subscriptions"]),
    );
    expect(Object.keys(doc.body.paths["/v1/push/subscriptions"] ?? {})).toEqual(
      expect.arrayContaining(["post", "delete"]),
    );
  });
});
