import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

const REASON = "成都市健康码迁移：中风险地区旅居";
const SOURCE = "chengdu-tianfu";

async function importLine(idNumber: string, since: string) {
  const res = await call("POST", "/v1/authority/imports", {
    token: await authorityToken(),
    rawBody: `${JSON.stringify({
      idType: "resident_id",
      idNumber,
      name: "张小三",
      color: "yellow",
      reason: REASON,
      since,
      source: SOURCE,
    })}\n`,
    headers: { "content-type": "application/x-ndjson" },
  });
  expect(res.body).toMatchObject({ accepted: 1 });
}

async function yellowStatus(token: string, personId: string) {
  let status: any;
  await vi.waitUntil(
    async () => {
      status = (await call("GET", `/v1/persons/${personId}/status`, { token })).body;
      return status.color === "yellow";
    },
    { timeout: 10_000, interval: 50 },
  );
  return status;
}

const since = () => new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

describe("an imported person's reason reaches their status", () => {
  it.each([
    ["imported before the person applies", true],
    ["imported onto a person who already applied", false],
  ])(
    "%s: the original reason and source stand beside the rule, now and in the history",
    async (_l, first) => {
      const idNumber = freshResidentId();
      const at = since();
      if (first) await importLine(idNumber, at);
      const token = await idToken(`imported-${idNumber}`, { idType: "resident_id", idNumber });
      const applied = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
      expect([200, 201]).toContain(applied.status);
      if (!first) await importLine(idNumber, at);

      const status = await yellowStatus(token, applied.body.personId);
      expect(status.reasons).toHaveLength(1);
      expect(status.reasons[0]).toMatchObject({
        rule: "imported-yellow",
        imports: [{ color: "yellow", reason: REASON, source: SOURCE, since: at }],
      });
      const entry = status.history.find((h: { to?: string }) => h.to === "yellow");
      expect(entry.imports).toEqual([expect.objectContaining({ reason: REASON, source: SOURCE, since: at })]);
    },
  );
});
