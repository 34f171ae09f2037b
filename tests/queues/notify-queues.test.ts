// Issue 15: notifications spread over the K notify queues by person; each queue's consumer delivers.
import { describe, expect, it, vi } from "vitest";
import type { AuthorityEventFact } from "../../durable/rules/facts";
import { notifyQueueIndex, notifyQueues } from "../../workers/lib/notify-queues";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { browser, pushEndpoint, received } from "../helpers/push";

const confirmed = (): AuthorityEventFact => ({
  kind: "authority_event",
  id: `event:${crypto.randomUUID()}`,
  event: "confirmed",
  occurredAt: new Date().toISOString(),
  reason: "confirmed case",
  actor: "test",
});

describe("notify queues by person", () => {
  it("persons whose changes take different queues are all told", async () => {
    const k = notifyQueues(env).length;
    expect(k).toBeGreaterThanOrEqual(2);
    const persons: { personId: string; read: (p: never) => Promise<unknown>; endpoint: string }[] = [];
    const used = new Set<number>();
    // Persons until every queue has at least one (ids are HMACs: a handful suffices).
    for (let i = 0; used.size < k && i < 40; i++) {
      const token = await idToken(`nq-${i}-${crypto.randomUUID()}`);
      const res = await call("POST", "/v1/persons", { token, body: applicant(freshResidentId()) });
      expect(res.status).toBe(201);
      const personId = res.body.personId as string;
      const b = await browser(pushEndpoint());
      expect(
        (await call("POST", "/v1/push/subscriptions", { token, body: { subscription: b.subscription } }))
          .status,
      ).toBe(201);
      used.add(notifyQueueIndex(personId, k));
      persons.push({ personId, read: b.read as never, endpoint: b.subscription.endpoint });
    }
    expect(used.size).toBe(k);
    for (const p of persons) await env.PERSON.getByName(p.personId).addFacts([confirmed()]);
    for (const p of persons) {
      const got = await vi.waitUntil(
        async () => {
          const r = await received(p.endpoint);
          return r.length > 0 ? r : undefined;
        },
        { timeout: 20_000, interval: 200 },
      );
      expect(await p.read(got[0] as never)).toMatchObject({ personId: p.personId, color: "red" });
    }
  });
});
