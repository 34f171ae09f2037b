import { describe, expect, it, vi } from "vitest";
import { authorityToken, call } from "../helpers/api";
import { freshResidentId, residentId } from "../helpers/identities";
import { everyShard } from "../helpers/shards";

const iso = (ms: number) => new Date(ms).toISOString();
const good = (sampleId: string, overrides: Record<string, unknown> = {}) => ({
  sampleId,
  idType: "resident_id",
  idNumber: freshResidentId(),
  name: "李四",
  test: "nucleic_acid",
  result: "negative",
  sampledAt: iso(Date.now() - 7_200_000),
  reportedAt: iso(Date.now() - 3_600_000),
  ...overrides,
});
const wrongCheck = (() => {
  const id = residentId();
  return id.slice(0, 17) + (id.endsWith("1") ? "2" : "1");
})();

async function lab() {
  const res = await call("POST", "/v1/authority/labs", {
    token: await authorityToken(),
    body: { name: "Error lab" },
  });
  return res.body as { labId: string; labKey: string };
}

describe("bad input to POST /v1/lab/results → 400 naming each item, nothing queued", () => {
  it.each([
    [
      "missing fields",
      { results: [{}] },
      ["results.0.sampleId", "results.0.idType", "results.0.idNumber", "results.0.name", "results.0.test"],
    ],
    [
      "wrong types",
      { results: [good("T-1", { result: 1, sampledAt: 5 })] },
      ["results.0.result", "results.0.sampledAt"],
    ],
    ["no results key", { rows: [] }, ["results"]],
    ["an empty list", { results: [] }, ["results"]],
    [
      "a bad check digit at index 3",
      { results: [good("C-0"), good("C-1"), good("C-2"), good("C-3", { idNumber: wrongCheck })] },
      ["results.3.idNumber"],
    ],
    [
      "a passport without nationality",
      { results: [good("P-0", { idType: "passport", idNumber: "E12345678" })] },
      ["results.0.nationality"],
    ],
    [
      "sampled after reported",
      {
        results: [
          good("O-0", { sampledAt: iso(Date.now() - 60_000), reportedAt: iso(Date.now() - 120_000) }),
        ],
      },
      ["results.0.sampledAt"],
    ],
    [
      "reported in the future",
      { results: [good("F-0", { reportedAt: iso(Date.now() + 3_600_000) })] },
      ["results.0.reportedAt"],
    ],
    [
      "a time that is not ISO",
      { results: [good("I-0", { sampledAt: "27/11/2026" })] },
      ["results.0.sampledAt"],
    ],
    ["1,001 results", { results: Array.from({ length: 1001 }, (_, i) => good(`M-${i}`)) }, ["results"]],
  ])("%s", async (_label, body, paths) => {
    const { labKey } = await lab();
    const res = await call("POST", "/v1/lab/results", { token: labKey, body });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors?.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
  });

  it("malformed JSON → 400", async () => {
    const { labKey } = await lab();
    const res = await call("POST", "/v1/lab/results", { token: labKey, rawBody: '{"results": [' });
    expect(res.status).toBe(400);
  });

  it("one bad item keeps the good ones of the same request out of the queue", async () => {
    const { labKey, labId } = await lab();
    const bad = await call("POST", "/v1/lab/results", {
      token: labKey,
      body: { results: [good("KEEP-OUT"), good("BAD", { idNumber: wrongCheck })] },
    });
    expect(bad.status).toBe(400);
    // A later valid request is applied; the rejected one never is.
    const ok = await call("POST", "/v1/lab/results", { token: labKey, body: { results: [good("LATER")] } });
    expect(ok.status).toBe(202);
    const samples = async () => ({
      results: await everyShard<{ sample_id: string }>(
        "SELECT sample_id FROM test_results WHERE lab_id = ?",
        labId,
      ),
    });
    await vi.waitUntil(async () => (await samples()).results.length > 0, { timeout: 15_000, interval: 100 });
    expect((await samples()).results.map((r) => r.sample_id)).toEqual(["LATER"]);
  });
});
