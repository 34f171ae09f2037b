import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { RuleSetSchema } from "../../../durable/rules/rule-set";

const base = () =>
  structuredClone(DEFAULT_RULE_SET) as unknown as { rules: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;

/** The validation errors as API.md shows them: `{path, message}` with dotted paths. */
function errors(body: unknown) {
  const result = RuleSetSchema.safeParse(body);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

function withRule(index: number, patch: Record<string, unknown>) {
  const set = base();
  set.rules[index] = { ...set.rules[index], ...patch };
  return set;
}

describe("RuleSetSchema", () => {
  it("accepts the default rule set unchanged", () => {
    expect(RuleSetSchema.parse(DEFAULT_RULE_SET)).toEqual(DEFAULT_RULE_SET);
  });

  it("covers every row of API.md's table", () => {
    const byId = Object.fromEntries(DEFAULT_RULE_SET.rules.map((r) => [r.id, r]));
    expect(byId["positive-test"]).toMatchObject({ color: "red", lift: { afterRelease: { days: 28 } } });
    expect(byId.confirmed).toMatchObject({ color: "red", lift: { afterRelease: { days: 28 } } });
    expect(byId["close-contact"]).toMatchObject({ color: "red", lift: { afterDays: 21 } });
    expect(byId["secondary-contact"]).toMatchObject({ color: "yellow", lift: { afterDays: 7 } });
    expect(byId["risk-area-visit"]).toMatchObject({
      color: "yellow",
      lift: {
        anyOf: [
          { negativeTests: { count: 2, spacingHours: 24, test: "nucleic_acid", after: "trigger" } },
          { afterDays: 14, from: "trigger" },
        ],
      },
    });
  });

  it("rejects an unknown fact kind in a trigger", () => {
    expect(errors(withRule(0, { trigger: { fact: "horoscope" } }))).toEqual([
      { path: "rules.0.trigger.fact", message: expect.stringContaining("test_result") },
    ]);
  });

  it("rejects released as a trigger: it only lifts", () => {
    expect(errors(withRule(1, { trigger: { fact: "authority_event", event: "released" } }))).toEqual([
      { path: "rules.1.trigger.event", message: expect.stringContaining("released lifts") },
    ]);
  });

  it("rejects negative and zero durations with the field's path", () => {
    expect(errors(withRule(2, { lift: { afterDays: -21, from: "trigger" } }))).toEqual([
      { path: "rules.2.lift.afterDays", message: expect.stringMatching(/>0/) },
    ]);
    expect(errors(withRule(2, { lift: { afterDays: 0, from: "trigger" } }))[0]!.path).toBe(
      "rules.2.lift.afterDays",
    );
    expect(errors(withRule(0, { lift: { afterRelease: { days: -1 } } }))).toEqual([
      { path: "rules.0.lift.afterRelease.days", message: expect.stringMatching(/>=0/) },
    ]);
    expect(
      errors(
        withRule(4, {
          lift: {
            anyOf: [
              { negativeTests: { count: 2, spacingHours: -24, test: "nucleic_acid", after: "trigger" } },
              { afterDays: 14, from: "trigger" },
            ],
          },
        }),
      ),
    ).toEqual([
      { path: "rules.4.lift.anyOf.0.negativeTests.spacingHours", message: expect.stringMatching(/>=0/) },
    ]);
  });

  it("rejects a lift of no known shape, naming the shapes", () => {
    expect(errors(withRule(0, { lift: { whenever: true } }))).toEqual([
      { path: "rules.0.lift", message: expect.stringContaining("afterRelease") },
    ]);
    expect(errors(withRule(0, { lift: { anyOf: [{ afterDays: 3, from: "trigger" }] } }))).toEqual([
      { path: "rules.0.lift.anyOf", message: "anyOf needs at least two conditions" },
    ]);
  });

  it("rejects an empty rule list", () => {
    expect(errors({ ...base(), rules: [] })).toEqual([
      { path: "rules", message: "a rule set needs at least one rule" },
    ]);
  });

  it("rejects duplicate rule ids, pointing at the second", () => {
    const set = base();
    set.rules.push({ ...set.rules[2]!, version: "9" });
    const last = set.rules.length - 1;
    expect(errors(set)).toEqual([
      { path: `rules.${last}.id`, message: "duplicate rule id 'close-contact' (already used by rules[2])" },
    ]);
  });

  it("rejects a green rule, a missing translation, unknown fields and a bad date", () => {
    expect(errors(withRule(3, { color: "green" }))).toEqual([
      { path: "rules.3.color", message: "a rule's color must be yellow or red" },
    ]);
    expect(errors(withRule(3, { description: { en: "Contact" } }))).toEqual([
      { path: "rules.3.description.zh", message: expect.any(String) },
    ]);
    expect(errors(withRule(3, { priority: 1 }))).toEqual([
      { path: "rules.3", message: expect.stringContaining("priority") },
    ]);
    expect(errors({ ...base(), publishedAt: "last Tuesday" })).toEqual([
      { path: "publishedAt", message: "publishedAt must be an ISO 8601 UTC time" },
    ]);
    expect(errors(withRule(0, { id: "Positive Test" }))[0]!.path).toBe("rules.0.id");
  });
});
