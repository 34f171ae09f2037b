import { describe, expect, it } from "vitest";
import { authorityToken, call, type ExplainedStatus, first, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

const ISO_INSIDE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe("status texts write times for people (Asia/Shanghai), with ISO fields beside them", () => {
  it("a confirmed case recorded at 23:30 UTC reads 07:30 the next day in China", async () => {
    const idNumber = freshResidentId();
    const token = await idToken(`times-${idNumber}`, { idType: "resident_id", idNumber });
    const { personId } = (await call("POST", "/v1/persons", { token, body: applicant(idNumber) })).body;
    const event = await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: {
        idType: "resident_id",
        idNumber,
        kind: "confirmed",
        occurredAt: "2026-11-27T23:30:00Z",
        reason: "确诊病例 / Confirmed case",
      },
    });
    expect(event.status).toBe(202);

    const status = (await call<ExplainedStatus>("GET", `/v1/persons/${personId}/status`, { token })).body;
    expect(status.color).toBe("red");
    const reason = first(status.reasons, "reasons");
    expect(reason.lift).toEqual({
      zh: "卫生健康部门登记晚于 2026年11月28日 07:30 的解除隔离满 28 天后解除。",
      en: "Lifts 28 days after the health authority records a release later than 28 Nov 2026, 07:30 (UTC+8).",
    });
    // Machines keep the exact instant.
    expect(reason.since).toBe("2026-11-27T23:30:00Z");
    expect(reason.events?.[0]?.occurredAt).toBe("2026-11-27T23:30:00.000Z");
    // No text a person reads, now or in the history, carries a machine timestamp.
    const texts = [
      ...status.reasons.flatMap((r: { text: object; lift: object }) => [r.text, r.lift]),
      ...status.history.flatMap((h: { reasons?: { text: object; lift: object }[]; text?: object }) => [
        h.text ?? {},
        ...(h.reasons ?? []).flatMap((r) => [r.text, r.lift]),
      ]),
    ].flatMap((t) => Object.values(t));
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) expect(t).not.toMatch(ISO_INSIDE);
  });
});
