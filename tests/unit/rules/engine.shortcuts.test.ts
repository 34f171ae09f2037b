/**
 * The shortcuts the Person object takes on a hot path must give exactly what a full evaluation gives:
 * `uniqueIds` (no de-duplication) on distinct facts, and skipping the evaluation of a fact for which
 * `cannotChange` holds, at any time between the last evaluation and its `reviewAt`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { cannotChange, evaluate } from "../../../durable/rules/engine";
import type { Fact } from "../../../durable/rules/facts";
import { at, event, exposure, imported, lifted, test } from "./facts.fixture";

const time = fc.integer({ min: -2 * 24, max: 40 * 24 }).map((h) => at(0, h));

const vaccination = (id: string, date: string): Fact => ({
  kind: "vaccination",
  id: `vaccination:site1:${id}`,
  siteId: "site1",
  product: "CoronaVac",
  dose: 1,
  date,
});

const fact: fc.Arbitrary<(id: string) => Fact> = fc.oneof(
  fc.tuple(fc.constantFrom("positive", "negative") as fc.Arbitrary<"positive" | "negative">, time).map(
    ([r, t]) =>
      (id: string) =>
        test(id, r, t),
  ),
  // Negative tests weigh more: they are the facts a hot person receives by the thousand.
  time.map((t) => (id: string) => test(id, "negative", t)),
  time.map((t) => (id: string) => test(id, "negative", t, "antibody")),
  fc
    .tuple(
      fc.constantFrom(
        "confirmed",
        "close_contact",
        "secondary_contact",
        "released",
      ) as fc.Arbitrary<"released">,
      time,
    )
    .map(
      ([k, t]) =>
        (id: string) =>
          event(id, k, t),
    ),
  fc.tuple(time, fc.constantFrom("ra1", "ra2")).map(
    ([t, ra]) =>
      (id: string) =>
        exposure(id, t, ra),
  ),
  fc.tuple(time, fc.constantFrom("ra1", "ra2")).map(
    ([t, ra]) =>
      () =>
        lifted(ra, t),
  ),
  fc.tuple(time, fc.constantFrom("green", "yellow", "red") as fc.Arbitrary<"red">).map(
    ([t, c]) =>
      () =>
        imported(c, t),
  ),
  time.map((t) => (id: string) => vaccination(id, t)),
);

const distinct = (makers: ((id: string) => Fact)[]) => {
  const byId = new Map<string, Fact>();
  makers.forEach((make, i) => {
    const f = make(`f${i}`);
    byId.set(f.id, f);
  });
  return [...byId.values()];
};

describe("evaluation shortcuts", () => {
  it("uniqueIds gives the same evaluation on distinct facts", () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 14 }).map(distinct), time, (fs, now) => {
        expect(evaluate(fs, now, DEFAULT_RULE_SET, { uniqueIds: true })).toEqual(
          evaluate(fs, now, DEFAULT_RULE_SET),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("a fact that cannotChange leaves the evaluation as it was, anywhere before the old reviewAt", () => {
    let skipped = 0;
    fc.assert(
      fc.property(
        fc.array(fact, { minLength: 1, maxLength: 14 }).map(distinct),
        time,
        fc.integer({ min: 0, max: 20 * 24 }),
        (all, t0, laterHours) => {
          const added = all.at(-1)!;
          const before = all.slice(0, -1);
          const then = evaluate(before, t0, DEFAULT_RULE_SET);
          const now = new Date(Date.parse(t0) + laterHours * 3_600_000).toISOString();
          // The object only skips inside [evaluatedAt, reviewAt).
          if (then.reviewAt !== null && Date.parse(now) >= Date.parse(then.reviewAt)) return;
          if (!cannotChange(added, all, now, DEFAULT_RULE_SET)) return;
          skipped++;
          expect(evaluate(all, now, DEFAULT_RULE_SET)).toEqual(then);
        },
      ),
      { numRuns: 3000 },
    );
    expect(skipped, "the property is exercised").toBeGreaterThan(100);
  });

  it("a negative test is inert for a person with nothing to lift, and not once an exposure is there", () => {
    const neg = test("n1", "negative", at(2));
    expect(cannotChange(neg, [neg], at(3), DEFAULT_RULE_SET)).toBe(true);
    const visit = exposure("e1", at(1));
    expect(cannotChange(neg, [visit, neg], at(3), DEFAULT_RULE_SET)).toBe(false);
    // Dated after now it would set reviewAt.
    expect(cannotChange(neg, [neg], at(1), DEFAULT_RULE_SET)).toBe(false);
    // Vaccinations never reach the default rules, whenever dated.
    expect(cannotChange(vaccination("v1", at(9)), [visit], at(3), DEFAULT_RULE_SET)).toBe(true);
  });
});
