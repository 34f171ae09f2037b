// Issue 15, degraded mode: with every D1 database failing, code refresh, verification and check-in
// keep answering from the objects and the isolate's caches; lab results are accepted (queued) and applied once D1 is back.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../workers/index";
import { probeD1 } from "../../workers/lib/d1-probe";
import { authorityToken, call, env } from "../helpers/api";
import { probeObject } from "../helpers/d1-probe";
import { aPerson, aVerifiedVenue, CHENGDU, personVisits } from "./venues.fixtures";

const HOUR = 3_600_000;

describe("with D1 down", () => {
  it("codes refresh, codes verify, lab results are accepted and applied when D1 is back", async () => {
    const person = await aPerson("degraded");
    const lab = await call("POST", "/v1/authority/labs", {
      token: await authorityToken(),
      body: { name: "Degraded lab" },
    });
    expect(lab.status).toBe(201);
    const { env: probed, probe } = probeD1(env);
    await probeObject(person.personId, probed);
    const code = () =>
      call("GET", `/v1/persons/${person.personId}/code`, { token: person.token, env: probed });
    const sampledAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const submit = (sampleId: string, result: "positive" | "negative" = "positive") =>
      call("POST", "/v1/lab/results", {
        token: lab.body.labKey,
        env: probed,
        body: {
          results: [
            {
              idType: "resident_id",
              idNumber: person.idNumber,
              name: "张小三",
              sampleId,
              test: "nucleic_acid",
              result,
              sampledAt,
              reportedAt: new Date(Date.now() - HOUR).toISOString(),
            },
          ],
        },
      });
    // Warm: the caches a running isolate holds (keys, issuers, the lab key).
    const warm = await code();
    expect(warm.status).toBe(200);
    expect((await call("POST", "/v1/verify", { body: { token: warm.body.token }, env: probed })).status).toBe(
      200,
    );

    expect((await submit("DEG-0", "negative")).status).toBe(202);
    // A venue this isolate has seen (its directory row is cached for at most a minute).
    const owner = await aPerson("degraded-owner");
    const venue = await aVerifiedVenue(owner.token);
    const checkIn = (visitor: { personId: string; token: string }) =>
      call("POST", "/v1/checkins", {
        token: visitor.token,
        env: probed,
        body: { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU },
      });
    const earlier = await aPerson("degraded-earlier");
    await probeObject(earlier.personId, probed);
    expect((await checkIn(earlier)).status).toBe(201);

    probe.mode = "fail";
    probe.reset();
    const fresh = await code();
    expect(fresh.status).toBe(200);
    expect(fresh.body.color).toBe("green");
    const verdict = await call("POST", "/v1/verify", { body: { token: fresh.body.token }, env: probed });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ valid: true, color: "green", current: true });
    const visit = await checkIn(person);
    expect(visit.status, JSON.stringify(visit.body)).toBe(201);
    expect((await personVisits(person.personId)).map((v) => v.venueId)).toEqual([venue.venueId]);

    // Accepted while D1 fails (the sample-id pre-check is skipped; the consumer's insert deduplicates).
    const accepted = await submit("DEG-1");
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ accepted: 1 });
    expect(probe.queries.length).toBeGreaterThan(0); // D1 was tried and failed

    // The intake consumer with D1 still down: nothing is lost, the message is retried.
    const body = {
      type: "lab_results",
      labId: lab.body.labId,
      results: [
        {
          personId: person.personId,
          sampleId: "DEG-2",
          test: "nucleic_acid",
          result: "positive",
          sampledAt,
          reportedAt: new Date(Date.now() - HOUR).toISOString(),
        },
      ],
    };
    const message = { id: `deg-${Date.now()}`, timestamp: new Date(), attempts: 1, body };
    const down = createMessageBatch("healthpass-lab-results", [message]);
    const ctxDown = createExecutionContext();
    await worker.queue(down, probed, ctxDown);
    const resultDown = await getQueueResult(down, ctxDown);
    expect(resultDown.explicitAcks).toEqual([]);
    expect(resultDown.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    expect((await env.PERSON.getByName(person.personId).facts("test_result")).map((f) => f.id)).not.toContain(
      `result:${lab.body.labId}:DEG-2`,
    );

    // D1 is back: the retried message is applied, and the accepted result too (the queue's own
    // consumer runs with the real bindings).
    probe.mode = "count";
    const up = createMessageBatch("healthpass-lab-results", [{ ...message, attempts: 2 }]);
    const ctxUp = createExecutionContext();
    await worker.queue(up, env, ctxUp);
    expect((await getQueueResult(up, ctxUp)).explicitAcks).toEqual([message.id]);
    await vi.waitUntil(
      async () => {
        const ids = (await env.PERSON.getByName(person.personId).facts("test_result")).map((f) => f.id);
        return (
          ids.includes(`result:${lab.body.labId}:DEG-1`) && ids.includes(`result:${lab.body.labId}:DEG-2`)
        );
      },
      { timeout: 20_000, interval: 200 },
    );
    expect((await env.PERSON.getByName(person.personId).summary())?.color).toBe("red");
  });
});
