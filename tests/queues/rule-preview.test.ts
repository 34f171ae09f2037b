import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { type PreviewPageMessage, previewPage } from "../../workers/authority/rule-preview-pages";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { closeContactFor } from "../helpers/rule-sets";

const DAY = 86_400_000;

async function apply(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  expect(res.status).toBe(201);
  return { idNumber, personId: res.body.personId as string };
}

async function event(token: string, idNumber: string, kind: string, daysAgo: number) {
  const r = await call("POST", "/v1/authority/events", {
    token,
    body: {
      idType: "resident_id",
      idNumber,
      kind,
      occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      reason: "test",
    },
  });
  expect(r.status).toBe(202);
}

/**
 * The pages of one range are driven by hand here (the consumer only adds "send the returned message"),
 * so facts can arrive between pages at known places.
 */
describe("a preview while new facts arrive", () => {
  it("counts each person once, as their object held them when asked; redelivered and duplicated pages count nothing twice", async () => {
    const token = await authorityToken();
    const people = [];
    for (let i = 0; i < 6; i++) people.push(await apply(`pq-${i}`));
    // Page order is id order.
    people.sort((a, b) => (a.personId < b.personId ? -1 : 1));
    const [p0, p1, p2, p3] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    await event(token, p0.idNumber, "close_contact", 15);
    await event(token, p3.idNumber, "close_contact", 15);

    const ruleSet = closeContactFor(14, "2026.40");
    const previewId = crypto.randomUUID();
    const preview = env.RULE_PREVIEW.getByName(previewId);
    await preview.start({
      previewId,
      ruleSet,
      digest: "d",
      baseVersion: DEFAULT_RULE_SET.version,
      startedAt: new Date().toISOString(),
      ranges: 1,
      createdBy: "test",
    });

    const first: PreviewPageMessage = {
      type: "rule_set_preview",
      previewId,
      range: 0,
      after: null,
      limit: 2,
    };
    const second = await previewPage(env, first);
    expect(second).toMatchObject({ after: p1.personId });
    expect((await preview.report())?.tally.evaluated).toBe(2);

    // Facts arrive mid-preview: p1 (already evaluated, green) becomes a close contact of 15 days ago;
    // p2 (not yet evaluated) too; p3 (not yet evaluated, red) is confirmed, so stays red under both sets.
    await event(token, p1.idNumber, "close_contact", 15);
    await event(token, p2.idNumber, "close_contact", 15);
    await event(token, p3.idNumber, "confirmed", 1);
    // Someone registers during the preview: counted if and only if their id lies after the cursor.
    const late = await apply("pq-late");

    // The first page delivered again (at-least-once): it is not counted again, and it hands on the same next page.
    expect(await previewPage(env, first)).toEqual(second);
    expect((await preview.report())?.tally.evaluated).toBe(2);

    // The second page delivered twice at once: one of them counts.
    const [a, b] = await Promise.all([previewPage(env, second!), previewPage(env, second!)]);
    let next = a ?? b;
    expect((await preview.report())?.tally.evaluated).toBe(4);
    while (next) next = await previewPage(env, next);

    const report = (await preview.report())!;
    const expected = 6 + (late.personId > p1.personId ? 1 : 0);
    expect(report.done).toBe(true);
    expect(report.tally.evaluated).toBe(expected);
    expect(report.total).toBe(expected);
    // p0 (evaluated red → green) and p2 (its new fact was there when asked). Not p1: green when asked.
    // Not p3: confirmed by then.
    expect(report.tally.changes).toEqual({ "red>green": 2 });
    expect(report.samples).toHaveLength(2);

    // Nothing was written to anyone: still on the rule set in force, colours from their own facts.
    const states = await Promise.all(people.map((p) => env.PERSON.getByName(p.personId).status()));
    expect(states.map((s) => s?.state.ruleSetVersion)).toEqual(Array(6).fill(DEFAULT_RULE_SET.version));
    expect(states.slice(0, 4).map((s) => s?.state.color)).toEqual(["red", "red", "red", "red"]);
    expect(states.flatMap((s) => s?.history ?? []).some((h) => h.cause.kind === "rule_set")).toBe(false);

    // A page message for a finished range, or for a preview that does not exist, does nothing.
    expect(await previewPage(env, second!)).toBeNull();
    expect(await previewPage(env, { ...first, previewId: crypto.randomUUID() })).toBeNull();
  });
});
