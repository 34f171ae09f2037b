import { listDurableObjectIds } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { everyShard } from "../helpers/shards";

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

async function newLab() {
  const res = await call("POST", "/v1/authority/labs", {
    token: await authorityToken(),
    body: { name: "Pending lab" },
  });
  expect(res.status).toBe(201);
  return res.body as { labId: string; labKey: string };
}

const result = (idNumber: string, sampleId: string, outcome: "positive" | "negative") => ({
  sampleId,
  idType: "resident_id",
  idNumber,
  name: "张小三",
  test: "nucleic_acid",
  result: outcome,
  sampledAt: iso(Date.now() - 3_600_000),
  reportedAt: iso(Date.now() - 1_800_000),
});

const personIdOf = async (sampleId: string) => {
  const rows = await everyShard<{ person_id: string }>(
    "SELECT person_id FROM test_results WHERE sample_id = ?",
    sampleId,
  );
  return rows[0]?.person_id;
};
const hasObject = async (personId: string) => {
  const id = env.PERSON.idFromName(personId).toString();
  return (await listDurableObjectIds(env.PERSON)).some((x) => x.toString() === id);
};

describe("results for persons who have not applied wait in D1", () => {
  it("creates no object for them, while a person who applied gets the result at once", async () => {
    const { labKey } = await newLab();
    const appliedId = freshResidentId();
    const token = await idToken("pending-applied", { idType: "resident_id", idNumber: appliedId });
    const applied = (await call("POST", "/v1/persons", { token, body: applicant(appliedId) })).body.personId;
    const laterId = freshResidentId();
    await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(appliedId, "PEND-A", "positive"), result(laterId, "PEND-B", "positive")] },
    });
    await vi.waitUntil(async () => (await env.PERSON.getByName(applied).summary())?.color === "red", {
      timeout: 15_000,
      interval: 100,
    });
    const later = (await personIdOf("PEND-B"))!;
    expect(later).toBeTruthy();
    expect(await hasObject(later)).toBe(false);
  });

  it("a relative applying on their behalf gets the waiting result", async () => {
    const { labKey } = await newLab();
    const idNumber = freshResidentId();
    await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(idNumber, "PEND-P", "positive")] },
    });
    await vi.waitUntil(() => personIdOf("PEND-P"), { timeout: 15_000, interval: 100 });
    const token = await idToken("pending-proxy");
    const res = await call("POST", "/v1/persons", {
      token,
      body: applicant(idNumber, { relationship: "parent" }),
    });
    expect(res.status).toBe(201);
    expect(res.body.color).toBe("red");
  });

  it("a person created by an import gets the waiting result", async () => {
    const { labKey } = await newLab();
    const idNumber = freshResidentId();
    await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [result(idNumber, "PEND-I", "positive")] },
    });
    await vi.waitUntil(() => personIdOf("PEND-I"), { timeout: 15_000, interval: 100 });
    const personId = (await personIdOf("PEND-I"))!;
    const line = {
      idType: "resident_id",
      idNumber,
      name: "王导入",
      color: "yellow",
      reason: "原系统赋码",
      since: iso(Date.now() - 86_400_000),
      source: "pending-test",
    };
    const res = await call("POST", "/v1/authority/imports", {
      token: await authorityToken(),
      rawBody: `${JSON.stringify(line)}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(res.status).toBe(202);
    await vi.waitUntil(async () => (await env.PERSON.getByName(personId).summary()) !== null, {
      timeout: 15_000,
      interval: 100,
    });
    const status = (await env.PERSON.getByName(personId).status())!;
    expect(status.state.color).toBe("red");
    expect(status.state.reasons.map((r) => r.rule)).toContain("positive-test");
  });
});
