import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, type ExplainedStatus, env, idToken } from "../helpers/api";
import { applicant, residentId } from "../helpers/identities";

const DAY = 86_400_000;

async function postChunk(token: string, lines: string[], query = "") {
  const res = await call("POST", `/v1/authority/imports${query}`, {
    token,
    rawBody: `${lines.join("\n")}\n`,
    headers: { "content-type": "application/x-ndjson" },
  });
  expect([200, 202], JSON.stringify(res.body).slice(0, 500)).toContain(res.status);
  return res.body as { accepted: number; duplicates: number; rejected: { line: number; message: string }[] };
}

describe("imports: resuming and persons who already applied", () => {
  it("a resumed chunk (same importId and chunk) gets its first answer back", async () => {
    const token = await authorityToken();
    const since = new Date(Date.now() - DAY).toISOString();
    const line = (seq: number) =>
      JSON.stringify({
        idType: "resident_id",
        idNumber: residentId("510105", "19700101", seq),
        name: "李四",
        color: "yellow",
        reason: "重点地区来返",
        since,
        source: "chengdu-tianfu",
      });
    const first = await postChunk(token, [line(1), line(2), "oops"], "?importId=resume-1&chunk=0");
    expect(first).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ line: 3, message: "not a JSON object" }],
    });
    const replay = await postChunk(token, [line(1), line(2), "oops"], "?importId=resume-1&chunk=0");
    expect(replay).toEqual(first);
    const plain = await postChunk(token, [line(1), line(2)]);
    expect(plain).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
  });

  it("a person who already applied turns to the imported colour through a normal transition", async () => {
    const idNumber = residentId("510106", "19750505", 42);
    const token = await idToken("import-existing", { idType: "resident_id", idNumber });
    const applied = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    expect(applied.body.color).toBe("green");
    const since = new Date(Date.now() - DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
    await postChunk(await authorityToken(), [
      JSON.stringify({
        idType: "resident_id",
        idNumber,
        name: "张小三",
        color: "red",
        reason: "确诊",
        since,
        source: "old",
      }),
    ]);
    await vi.waitUntil(
      async () => (await env.PERSON.getByName(applied.body.personId).summary())?.color === "red",
      {
        timeout: 15_000,
        interval: 100,
      },
    );
    const status = await call<ExplainedStatus>("GET", `/v1/persons/${applied.body.personId}/status`, {
      token,
    });
    expect(status.body.history.filter((h) => h.type === "color_change").map((h) => [h.from, h.to])).toEqual([
      ["green", "red"],
      [null, "green"],
    ]);
  });
});
