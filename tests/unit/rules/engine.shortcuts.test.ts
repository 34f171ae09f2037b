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
import { distinct, factMaker, time } from "./facts.arbitrary";
import { at, exposure, test } from "./facts.fixture";

const vaccination = (id: string, date: string): Fact => ({
  kind: "vaccination",
  id: `vaccination:site1:${id}`,
  siteId: "site1",
  product: "CoronaVac",
  dose: 1,
  date,
});

const fact = factMaker([
  // Negative tests weigh more: they are the facts a hot person receives by the thousand.
  time.map((t) => (id: string) => test(id, "negative", t)),
  time.map((t) => (id: string) => vaccination(id, t)),
]);

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
