import { describe, expect, it } from "vitest";
import { call, idToken } from "../helpers/api";
import { browser } from "../helpers/push";

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

async function subscribe(subscription: unknown) {
  const token = await idToken("push-errors");
  return call("POST", "/v1/push/subscriptions", { token, body: { subscription } });
}

function expectFieldError(res: { status: number; headers: Headers; body: any }, path: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
}

describe("bad subscriptions are 400 naming the field", () => {
  it("p256dh that is not 65 bytes", async () => {
    const { subscription } = await browser();
    const res = await subscribe({
      ...subscription,
      keys: { ...subscription.keys, p256dh: b64url(new Uint8Array(33).fill(2)) },
    });
    expectFieldError(res, "subscription.keys.p256dh");
  });

  it("p256dh of 65 bytes that is compressed-tagged or off the curve", async () => {
    const { subscription } = await browser();
    const tagged = new Uint8Array(65).fill(7);
    expectFieldError(
      await subscribe({ ...subscription, keys: { ...subscription.keys, p256dh: b64url(tagged) } }),
      "subscription.keys.p256dh",
    );
    tagged[0] = 4;
    expectFieldError(
      await subscribe({ ...subscription, keys: { ...subscription.keys, p256dh: b64url(tagged) } }),
      "subscription.keys.p256dh",
    );
  });

  it("padded or standard-alphabet base64 keys", async () => {
    const { subscription } = await browser();
    const padded = `${subscription.keys.auth}==`;
    expectFieldError(
      await subscribe({ ...subscription, keys: { ...subscription.keys, auth: padded } }),
      "subscription.keys.auth",
    );
  });

  it("auth that is not 16 bytes", async () => {
    const { subscription } = await browser();
    const res = await subscribe({
      ...subscription,
      keys: { ...subscription.keys, auth: b64url(new Uint8Array(12)) },
    });
    expectFieldError(res, "subscription.keys.auth");
  });

  it("missing keys and endpoint, each named", async () => {
    const res = await subscribe({});
    expectFieldError(res, "subscription.endpoint");
    expect(res.body.errors?.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["subscription.endpoint", "subscription.keys"]),
    );
  });

  it("an endpoint that is not a URL, or not https", async () => {
    const { subscription } = await browser();
    expectFieldError(await subscribe({ ...subscription, endpoint: "not a url" }), "subscription.endpoint");
    expectFieldError(
      await subscribe({ ...subscription, endpoint: "http://push.example.net/x" }),
      "subscription.endpoint",
    );
    expectFieldError(
      await subscribe({ ...subscription, endpoint: "ftp://push.example.net/x" }),
      "subscription.endpoint",
    );
  });

  it("several bad fields are all named at once", async () => {
    const res = await subscribe({ endpoint: "https://10.0.0.1/x", keys: { p256dh: "AAAA", auth: "AAAA" } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e: { path: string }) => e.path).sort()).toEqual([
      "subscription.endpoint",
      "subscription.keys.auth",
      "subscription.keys.p256dh",
    ]);
  });

  it("malformed JSON and a missing endpoint on delete are 400, never 5xx", async () => {
    const token = await idToken("push-errors");
    const bad = await call("POST", "/v1/push/subscriptions", { token, rawBody: "{" });
    expect(bad.status).toBe(400);
    const del = await call("DELETE", "/v1/push/subscriptions", { token, body: {} });
    expectFieldError(del, "endpoint");
  });
});
