import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, type ExplainedStatus, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { countEveryShard, everyShard } from "../helpers/shards";

const now = () => Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

async function newLab(name = "Test lab") {
  const res = await call("POST", "/v1/authority/labs", { token: await authorityToken(), body: { name } });
  expect(res.status).toBe(201);
  return res.body as { labId: string; keyId: string; labKey: string };
}

async function apply(sub: string, idNumber = freshResidentId()) {
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  expect(res.status).toBe(201);
  return { token, idNumber, personId: res.body.personId as string };
}

const result = (
  idNumber: string,
  sampleId: string,
  outcome: "positive" | "negative",
  sampledAt = now() - 3_600_000,
) => ({
  sampleId,
  idType: "resident_id",
  idNumber,
  name: "张小三",
  test: "nucleic_acid",
  result: outcome,
  sampledAt: iso(sampledAt),
  reportedAt: iso(sampledAt + 1_800_000),
});

describe("a lab posts a positive result", () => {
  it("turns the person red through the queue; the old code is no longer current; status names the rule", async () => {
    const { labKey, labId } = await newLab();
    const { token, idNumber, personId } = await apply("e2e-positive");
    const oldCode = await call("GET", `/v1/persons/${personId}/code`, { token });
    expect(oldCode.body.color).toBe("green");

    const res = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(idNumber, "S-E2E-1", "positive")] },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0 });

    await vi.waitUntil(async () => (await env.PERSON.getByName(personId).summary())?.color === "red", {
      timeout: 15_000,
      interval: 100,
    });
    const verdict = await call("POST", "/v1/verify", { body: { token: oldCode.body.token } });
    expect(verdict.body).toMatchObject({ valid: true, tokenColor: "green", color: "red", current: false });

    const status = await call<ExplainedStatus>("GET", `/v1/persons/${personId}/status`, { token });
    expect(status.body.color).toBe("red");
    expect(status.body.reasons[0]).toMatchObject({
      rule: "positive-test",
      ruleVersion: "1",
      ruleSetVersion: "2026.1",
      facts: [`result:${labId}:S-E2E-1`],
    });
    expect(status.body.reasons[0]?.lift.en).toContain("release");
    expect(status.body.history[0]).toMatchObject({
      type: "color_change",
      from: "green",
      to: "red",
      rules: [{ rule: "positive-test", ruleVersion: "1" }],
      ruleSetVersion: "2026.1",
      cause: { kind: "fact", factIds: [`result:${labId}:S-E2E-1`] },
      decidedBy: [{ rule: "positive-test", facts: [`result:${labId}:S-E2E-1`] }],
    });

    // D1 keeps the result by person id only: no identity number, no name.
    const rows = { results: await everyShard("SELECT * FROM test_results WHERE lab_id = ?", labId) };
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]).toMatchObject({ person_id: personId, sample_id: "S-E2E-1", result: "positive" });
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(idNumber);
    expect(stored).not.toContain("张小三");
  });

  it("counts results already known and results repeated in the request as duplicates", async () => {
    const { labKey, labId } = await newLab();
    const { idNumber, personId } = await apply("dups");
    const first = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: {
        results: [
          result(idNumber, "D-1", "negative"),
          result(idNumber, "D-2", "negative"),
          result(idNumber, "D-2", "negative"),
        ],
      },
    });
    expect(first.body).toEqual({ accepted: 2, duplicates: 1 });
    await vi.waitUntil(
      async () =>
        (await countEveryShard("SELECT count(*) n FROM test_results WHERE lab_id = ?", labId)) === 2,
      { timeout: 15_000, interval: 100 },
    );
    const again = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(idNumber, "D-1", "negative"), result(idNumber, "D-3", "negative")] },
    });
    expect(again.body).toEqual({ accepted: 1, duplicates: 1 });
    await vi.waitUntil(async () => (await env.PERSON.getByName(personId).facts("test_result")).length === 3, {
      timeout: 15_000,
      interval: 100,
    });
  });

  it("keeps a result for someone who has not applied and applies it when they do", async () => {
    const { labKey } = await newLab();
    const idNumber = freshResidentId();
    const res = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(idNumber, "EARLY-1", "positive")] },
    });
    expect(res.status).toBe(202);
    const rowFor = async () =>
      (
        await everyShard<{ person_id: string }>(
          "SELECT person_id FROM test_results WHERE sample_id = 'EARLY-1'",
        )
      )[0];
    await vi.waitUntil(rowFor, { timeout: 15_000, interval: 100 });
    const personId = (await rowFor())!.person_id;
    // Kept in D1 only: no object is created for someone who may never apply.
    const { personId: applied } = await apply("late-applicant", idNumber);
    expect(applied).toBe(personId);
    expect((await env.PERSON.getByName(personId).summary())?.color).toBe("red");
  });

  it("splits a large request into messages of many results and applies all of them", async () => {
    const { labKey, labId } = await newLab();
    const people = await Promise.all(Array.from({ length: 3 }, (_, i) => apply(`bulk-${i}`)));
    const results = Array.from({ length: 1000 }, (_, i) =>
      result(people[i % 3]!.idNumber, `BULK-${i}`, "negative", now() - 86_400_000 + i * 1000),
    );
    const res = await call("POST", "/v1/lab/results", { token: labKey, body: { results } });
    expect(res.body).toEqual({ accepted: 1000, duplicates: 0 });
    await vi.waitUntil(
      async () =>
        (await countEveryShard("SELECT count(*) n FROM test_results WHERE lab_id = ?", labId)) === 1000,
      { timeout: 25_000, interval: 200 },
    );
    await vi.waitUntil(async () => (await env.PERSON.getByName(people[0]!.personId).facts()).length === 334, {
      timeout: 25_000,
      interval: 200,
    });
  });
});
