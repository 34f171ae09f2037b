// Driving the notify consumer by hand in tests: a person applied for, a browser subscribed, and a
// hand-made batch run through the worker's queue handler as the queue would (with any env).
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../workers/index";
import { call, idToken } from "./api";
import { applicant, freshResidentId } from "./identities";
import { type Browser, browser, pushEndpoint } from "./push";

export async function applied(
  sub: string,
  overrides: Record<string, unknown> = {},
  idNumber = freshResidentId(),
) {
  const token = await idToken(sub);
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber, overrides) });
  expect(res.status).toBe(201);
  return { token, personId: res.body.personId as string, idNumber };
}

export async function subscribed(token: string, endpoint = pushEndpoint()): Promise<Browser> {
  const b = await browser(endpoint);
  const res = await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } });
  expect(res.status).toBe(201);
  return b;
}

/** A colour change message as a person's outbox sends it. */
type Colour = "green" | "yellow" | "red";
export const colourChange = (personId: string, color: Colour = "red", previousColor: Colour = "green") => ({
  kind: "notify" as const,
  personId,
  color,
  previousColor,
  at: new Date().toISOString(),
});

/** Runs the notify consumer on these bodies; returns what it acked and retried. */
export async function consume(bodies: unknown[], opts: { attempts?: number; env?: Env } = {}) {
  const batch = createMessageBatch(
    "healthpass-notify",
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, opts.env ?? env, ctx);
  return getQueueResult(batch, ctx);
}
