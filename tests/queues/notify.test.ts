// Web Push end to end inside workerd: a colour change in the Person object → its outbox →
// healthpass-notify (fan-out) → one deliver message per subscription → the push service the tests
// serve (tests/helpers/node/push-service.ts), decrypted as a browser would.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { AuthorityEventFact } from "../../durable/rules/facts";
import worker from "../../workers/index";
import type { DeliverMessage } from "../../workers/push/notify-consumer";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { browser, type CapturedPush, PUSH_ORIGIN, pushEndpoint, received } from "../helpers/push";
import { verifyVapidAuthorization } from "../helpers/webpush-decrypt";

const closeContact = (): AuthorityEventFact => ({
  kind: "authority_event",
  id: `event:${crypto.randomUUID()}`,
  event: "close_contact",
  occurredAt: new Date().toISOString(),
  reason: "close contact of a confirmed case",
  actor: "test",
});

async function applied(sub: string, overrides: Record<string, unknown> = {}, idNumber = freshResidentId()) {
  const token = await idToken(sub);
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber, overrides) });
  expect(res.status).toBe(201);
  return { token, personId: res.body.personId as string, idNumber };
}

async function subscribed(token: string, endpoint = pushEndpoint()) {
  const b = await browser(endpoint);
  const res = await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } });
  expect(res.status).toBe(201);
  return b;
}

const arrives = (endpoint: string, count = 1) =>
  vi.waitUntil(
    async () => {
      const got = await received(endpoint);
      return got.length >= count ? got : undefined;
    },
    { timeout: 15_000, interval: 200 },
  ) as Promise<CapturedPush[]>;

async function changeAt(personId: string, to: string): Promise<string> {
  const status = await env.PERSON.getByName(personId).status();
  const change = status?.history.find((h) => h.to === to && h.from !== null);
  if (!change) throw new Error(`no change to ${to} in the history`);
  return change.at;
}

/**
 * Runs the notify consumer on a hand-made batch, as the queue would, and returns what it acked and
 * retried. This plugin version's getQueueResult drops a retry's delay, so the delay each message
 * asked for is read from its retry() call (observed, still carried out).
 */
async function consume(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    "healthpass-notify",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  const retryMessages = result.retryMessages.map(({ msgId }) => {
    const i = batch.messages.findIndex((m) => m.id === msgId);
    const options = retries[i]?.mock.calls.at(-1)?.[0];
    return options?.delaySeconds === undefined ? { msgId } : { msgId, delaySeconds: options.delaySeconds };
  });
  return { ...result, retryMessages };
}

describe("a colour change reaches every subscription of every managing account", () => {
  it("is encrypted for the subscriber, holds the contract's JSON, and carries a VAPID token for the endpoint's origin", async () => {
    const { token, personId } = await applied("push-e2e-self");
    const phone = await subscribed(token);
    const tablet = await subscribed(token);

    const added = await env.PERSON.getByName(personId).addFacts([closeContact()]);
    expect(added.state.color).toBe("red");

    const [push] = await arrives(phone.subscription.endpoint);
    expect(push!.method).toBe("POST");
    expect(push!.headers["content-encoding"]).toBe("aes128gcm");
    expect(push!.headers.urgency).toBe("high");
    expect(await phone.read(push!)).toEqual({
      personId,
      color: "red",
      previousColor: "green",
      at: await changeAt(personId, "red"),
    });
    const claims = await verifyVapidAuthorization(
      push!.headers.authorization ?? "",
      env.VAPID_PUBLIC_KEY,
      PUSH_ORIGIN,
    );
    expect(claims.aud).toBe(PUSH_ORIGIN);
    // Topic lets the push service replace an older undelivered colour, without telling it the personId.
    expect(push!.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(push!.headers.topic).not.toContain(personId);

    const [second] = await arrives(tablet.subscription.endpoint);
    expect((await tablet.read(second!)) as object).toMatchObject({ personId, color: "red" });
    // Each subscription gets this change once. (Only red ones are counted: a later change, such as
    // the object's own review, is another message.)
    const all = await received(phone.subscription.endpoint);
    const colors = await Promise.all(
      all.map(async (p) => ((await phone.read(p)) as { color: string }).color),
    );
    expect(colors.filter((c) => c === "red")).toHaveLength(1);
  });

  it("reaches a relative's account too, and not accounts that do not manage the person", async () => {
    const idNumber = freshResidentId();
    const { token: own, personId } = await applied("push-e2e-grandma", {}, idNumber);
    // Grandma has her own account, so her child's application waits for her consent.
    const child = await idToken("push-e2e-child");
    const asked = await call("POST", "/v1/persons", {
      token: child,
      body: applicant(idNumber, { relationship: "parent" }),
    });
    expect(asked.status).toBe(202);
    const approved = await call("POST", `/v1/persons/${personId}/managers/${asked.body.requestId}/approve`, {
      token: own,
    });
    expect(approved.status).toBe(200);
    const stranger = await idToken("push-e2e-stranger");
    const ownPhone = await subscribed(own);
    const childPhone = await subscribed(child);
    const strangerPhone = await subscribed(stranger);

    await env.PERSON.getByName(personId).addFacts([closeContact()]);
    await arrives(ownPhone.subscription.endpoint);
    const [toChild] = await arrives(childPhone.subscription.endpoint);
    expect((await childPhone.read(toChild!)) as object).toMatchObject({
      personId,
      color: "red",
      previousColor: "green",
    });
    expect(await received(strangerPhone.subscription.endpoint)).toEqual([]);
  });

  it("deletes a subscription whose push service answers 410", async () => {
    const { token, personId } = await applied("push-e2e-gone");
    const gone = await subscribed(token, pushEndpoint(410));
    await env.PERSON.getByName(personId).addFacts([closeContact()]);
    await arrives(gone.subscription.endpoint);
    await vi.waitUntil(
      async () => (await subscriptionByEndpoint(env, gone.subscription.endpoint)) === undefined,
      {
        timeout: 5_000,
      },
    );
  });

  it("tells the person's own account when a relative asks to manage them, and not the relative", async () => {
    const idNumber = freshResidentId();
    const { token: own, personId } = await applied("push-notice-self", {}, idNumber);
    const ownPhone = await subscribed(own);
    const relativeToken = await idToken("push-notice-relative");
    const relativePhone = await subscribed(relativeToken);
    const res = await call("POST", "/v1/persons", {
      token: relativeToken,
      body: applicant(idNumber, { relationship: "child" }),
    });
    expect(res.status).toBe(202);

    const [push] = await arrives(ownPhone.subscription.endpoint);
    const body = (await ownPhone.read(push!)) as { personId: string; notice: { kind: string; text: object } };
    expect(body.personId).toBe(personId);
    expect(body.notice).toMatchObject({
      kind: "manager_request",
      text: { zh: expect.any(String), en: expect.any(String) },
    });
    expect(new TextEncoder().encode(JSON.stringify(body)).byteLength).toBeLessThan(1024);
    expect(push!.headers.urgency).toBe("normal");
    expect(await received(relativePhone.subscription.endpoint)).toEqual([]);
  });
});

describe("the consumer, message by message", () => {
  async function deliverTo(endpoint: string) {
    const { token, personId } = await applied(`push-unit-${crypto.randomUUID()}`);
    const b = await subscribed(token, endpoint);
    const row = await subscriptionByEndpoint(env, endpoint);
    const message: DeliverMessage = {
      kind: "deliver",
      subscriptionId: row!.id,
      payload: { personId, color: "green", previousColor: "red", at: new Date().toISOString() },
    };
    return { b, token, personId, message };
  }

  it("retries a 429 after the push service's Retry-After", async () => {
    const endpoint = pushEndpoint(429, 120);
    const { message } = await deliverTo(endpoint);
    const result = await consume([message]);
    expect(result.retryMessages).toEqual([{ msgId: "m0", delaySeconds: 120 }]);
    expect(result.explicitAcks).toEqual([]);
    expect(await received(endpoint)).toHaveLength(1);
    expect((await subscriptionByEndpoint(env, endpoint))?.failures).toBe(1);
  });

  it("retries a 5xx with backoff and keeps the subscription", async () => {
    const endpoint = pushEndpoint(503);
    const { message } = await deliverTo(endpoint);
    const result = await consume([message]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(15);
    expect(await subscriptionByEndpoint(env, endpoint)).toBeDefined();
  });

  it("retries only the failed delivery: the subscription that accepted is not sent again", async () => {
    const ok = await deliverTo(pushEndpoint(201));
    const busy = await deliverTo(pushEndpoint(429, 30));
    const result = await consume([ok.message, busy.message]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([{ msgId: "m1", delaySeconds: 30 }]);
    // The queue redelivers only m1.
    await consume([busy.message], 2);
    expect(await received(ok.b.subscription.endpoint)).toHaveLength(1);
    expect(await received(busy.b.subscription.endpoint)).toHaveLength(2);
  });

  it("drops a rejected message (e.g. 403) and keeps the subscription", async () => {
    const endpoint = pushEndpoint(403);
    const { message } = await deliverTo(endpoint);
    const result = await consume([message]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await subscriptionByEndpoint(env, endpoint)).toBeDefined();
  });

  it("acks without sending when our side is at fault (unusable stored keys): a retry cannot help", async () => {
    const endpoint = pushEndpoint();
    const { personId, message } = await deliverTo(endpoint);
    // The consumer reads the keys from the person's object (its copy of the D1 row).
    await runInDurableObject(env.PERSON.getByName(personId), (_, state) => {
      state.storage.sql.exec("UPDATE push_targets SET p256dh = 'AAAA' WHERE endpoint = ?", endpoint);
    });
    const result = await consume([message]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await received(endpoint)).toEqual([]);
  });

  it("acks a delivery whose subscription was deleted since the fan-out", async () => {
    const endpoint = pushEndpoint();
    const { b, token, message } = await deliverTo(endpoint);
    const del = await call("DELETE", "/v1/push/subscriptions", {
      token,
      body: { endpoint: b.subscription.endpoint },
    });
    expect(del.status).toBe(204);
    const result = await consume([message]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await received(endpoint)).toEqual([]);
  });

  it("drops a retried colour that is no longer the person's colour, so it cannot land after a newer one", async () => {
    const endpoint = pushEndpoint();
    const { personId, message } = await deliverTo(endpoint);
    // The person is green; a retry announcing red is stale.
    const stale = {
      ...message,
      payload: { personId, color: "red", previousColor: "green", at: new Date().toISOString() },
    };
    const result = await consume([stale], 3);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(await received(endpoint)).toEqual([]);
  });

  it("pushes a colour change to a few subscriptions itself and acks it", async () => {
    const { token, personId } = await applied("push-unit-fanout");
    const b = await subscribed(token);
    const at = new Date().toISOString();
    const result = await consume([{ kind: "notify", personId, color: "yellow", previousColor: "green", at }]);
    expect(result.explicitAcks).toEqual(["m0"]);
    const [push] = await arrives(b.subscription.endpoint);
    expect(await b.read(push!)).toEqual({ personId, color: "yellow", previousColor: "green", at });
  });

  it("sends a message no consumer can read on towards the dead letters", async () => {
    const result = await consume([{ kind: "deliver", subscriptionId: 42 }, { hello: "world" }]);
    expect(result.retryMessages.map((r) => r.msgId).sort()).toEqual(["m0", "m1"]);
  });

  it("never sends a payload over 1 KB", async () => {
    const { token, personId } = await applied("push-unit-big-notice");
    const b = await subscribed(token);
    const text = "很长".repeat(400);
    const result = await consume([
      {
        kind: "notice",
        personId,
        notice: { kind: "manager_added", at: new Date().toISOString(), text: { zh: text, en: text } },
      },
    ]);
    expect(result.explicitAcks).toEqual(["m0"]);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await received(b.subscription.endpoint)).toEqual([]);
  });
});
