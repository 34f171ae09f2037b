// Development runs with ISSUER_URL http://localhost:…, which is no contact a push service accepts:
// the VAPID subject is its own setting (VAPID_SUBJECT), and without a valid one nothing is sent and
// the log says why, while the messages are kept for a retry once it is set.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../workers/index";
import type { DeliverMessage } from "../../workers/push/notify-consumer";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { browser, PUSH_ORIGIN, pushEndpoint, received } from "../helpers/push";
import { verifyVapidAuthorization } from "../helpers/webpush-decrypt";

async function deliveryFor(endpoint: string): Promise<DeliverMessage> {
  const token = await idToken(`vapid-subject-${crypto.randomUUID()}`);
  const person = await call("POST", "/v1/persons", { token, body: applicant(freshResidentId()) });
  expect(person.status).toBe(201);
  const b = await browser(endpoint);
  const sub = await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } });
  expect(sub.status).toBe(201);
  const row = await subscriptionByEndpoint(env, endpoint);
  return {
    kind: "deliver",
    subscriptionId: row!.id,
    payload: {
      personId: person.body.personId,
      color: "red",
      previousColor: "green",
      at: new Date().toISOString(),
    },
  };
}

async function consumeWith(workerEnv: Env, body: DeliverMessage) {
  const batch = createMessageBatch("healthpass-notify", [
    { id: "m0", timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, workerEnv, ctx);
  return getQueueResult(batch, ctx);
}

/** The development configuration: the issuer is plain http on localhost. */
const devIssuer = { ISSUER_URL: "http://localhost:8787" };

describe("the VAPID subject", () => {
  it("is VAPID_SUBJECT, not the issuer URL: with an http issuer (npm start) a push is still sent", async () => {
    const endpoint = pushEndpoint();
    const message = await deliveryFor(endpoint);
    const result = await consumeWith({ ...env, ...devIssuer }, message);
    expect(result.explicitAcks).toEqual(["m0"]);
    const [push] = await received(endpoint);
    expect(push).toBeDefined();
    const claims = await verifyVapidAuthorization(
      push!.headers.authorization!,
      env.VAPID_PUBLIC_KEY,
      PUSH_ORIGIN,
    );
    expect(claims.sub).toBe(env.VAPID_SUBJECT);
    expect(String(claims.sub)).toMatch(/^mailto:/);
  });

  it.each([
    ["missing", ""],
    ["not a contact URI", "ops@example.org"],
    ["an http URL", "http://localhost:8787"],
  ])(
    "when %s, sends nothing, logs the setting by name and keeps the message for a retry",
    async (_, value) => {
      const endpoint = pushEndpoint();
      const message = await deliveryFor(endpoint);
      const errors = vi.spyOn(console, "error");
      const result = await consumeWith({ ...env, ...devIssuer, VAPID_SUBJECT: value }, message);
      expect(result.retryMessages.map((r) => r.msgId)).toEqual(["m0"]);
      expect(result.explicitAcks).toEqual([]);
      expect(await received(endpoint)).toEqual([]);
      expect(errors.mock.calls.flat().join("\n")).toMatch(/push not sent: VAPID_SUBJECT/);
      errors.mockRestore();
    },
  );
});
