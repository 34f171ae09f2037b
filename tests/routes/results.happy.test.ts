import { describe, expect, it } from "vitest";
import type { TestResultFact } from "../../durable/rules/facts";
import { call, env, idToken, labKey } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function applied(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: res.body.personId as string };
}

const fact = (
  sampleId: string,
  test: TestResultFact["test"],
  result: TestResultFact["result"],
  sampledAt: string,
): TestResultFact => ({
  kind: "test_result",
  id: `result:lab_demo:${sampleId}`,
  labId: "lab_demo",
  sampleId,
  test,
  result,
  sampledAt,
  reportedAt: new Date(Date.parse(sampledAt) + 6 * 3600_000).toISOString(),
});

describe("my results", () => {
  it("lists every nucleic-acid and antibody result newest first, with the lab's name", async () => {
    await labKey(); // seeds the demo lab (lab_demo) in D1
    const { token, personId } = await applied("results-owner");
    await env.PERSON.getByName(personId).addFacts([
      fact("s1", "nucleic_acid", "negative", "2026-11-20T01:00:00Z"),
      fact("s3", "antibody", "negative", "2026-11-22T01:00:00Z"),
      fact("s2", "nucleic_acid", "negative", "2026-11-21T01:00:00Z"),
    ]);
    const res = await call("GET", `/v1/persons/${personId}/results`, { token });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { sampleId: string; test: string }) => [r.sampleId, r.test])).toEqual([
      ["s3", "antibody"],
      ["s2", "nucleic_acid"],
      ["s1", "nucleic_acid"],
    ]);
    expect(res.body.results[0]).toMatchObject({
      labId: "lab_demo",
      labName: expect.stringContaining("Chengdu Demo Lab"),
      result: "negative",
      sampledAt: "2026-11-22T01:00:00Z",
      reportedAt: "2026-11-22T07:00:00.000Z",
    });
  });

  it("is visible to a relative who manages the person, and to nobody else (403)", async () => {
    const { personId } = await applied("results-self");
    const relative = await idToken("results-relative");
    const idNumber = freshResidentId();
    const child = await call("POST", "/v1/persons", {
      token: relative,
      body: applicant(idNumber, { relationship: "child" }),
    });
    expect(
      (await call("GET", `/v1/persons/${child.body.personId}/results`, { token: relative })).status,
    ).toBe(200);

    const stranger = await idToken("results-stranger");
    const denied = await call("GET", `/v1/persons/${personId}/results`, { token: stranger });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toContain("application/problem+json");
    expect((await call("GET", `/v1/persons/${personId}/results`)).status).toBe(401);
    expect((await call("GET", "/v1/persons/not-a-person-id/results", { token: stranger })).status).toBe(403);
  });
});
