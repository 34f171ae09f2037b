import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { evaluate } from "../../../durable/rules/engine";
import type { RuleSet } from "../../../durable/rules/rule-set";
import { distinct, factMaker, time } from "./facts.arbitrary";
import { at, event, exposure, test } from "./facts.fixture";

const fact = factMaker();
const facts = fc.array(fact, { maxLength: 12 }).map(distinct);

describe("the evaluation depends only on the set of facts", () => {
  it("shuffling and duplicating facts gives the same evaluation", () => {
    fc.assert(
      fc.property(
        facts.chain((fs) =>
          fc.tuple(fc.constant(fs), fc.shuffledSubarray(fs, { minLength: fs.length }), fc.subarray(fs), time),
        ),
        ([fs, shuffled, dupes, now]) => {
          const again = [...dupes.map((f) => ({ ...f })), ...shuffled, ...dupes];
          expect(evaluate(again, now, DEFAULT_RULE_SET)).toEqual(evaluate(fs, now, DEFAULT_RULE_SET));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("two differing copies of one fact resolve to the same copy whatever their order", () => {
    const early = exposure("c1", at(0));
    const late = { ...early, visitedAt: at(5) };
    const a = evaluate([early, late], at(6), DEFAULT_RULE_SET);
    expect(evaluate([late, early], at(6), DEFAULT_RULE_SET)).toEqual(a);
    expect(a.reasons[0]).toMatchObject({ facts: [early.id], since: at(0), until: at(14) });
  });

  it("reversing a concrete mixed set changes nothing", () => {
    const fs = [
      exposure("c1", at(0)),
      exposure("c2", at(3), "ra2"),
      test("n1", "negative", at(1)),
      test("n2", "negative", at(4)),
      event("e1", "close_contact", at(2)),
      test("p1", "positive", at(5)),
      test("p2", "positive", at(6)),
      event("r1", "released", at(8)),
    ];
    const now = at(9);
    const forward = evaluate(fs, now, DEFAULT_RULE_SET);
    expect(evaluate([...fs].reverse(), now, DEFAULT_RULE_SET)).toEqual(forward);
    expect(forward.reasons.find((r) => r.rule === "positive-test")!.facts).toEqual([
      "result:lab1:p1",
      "result:lab1:p2",
    ]);
  });
});

describe("reviewAt", () => {
  it("nothing changes between now and reviewAt (or ever, when it is null)", () => {
    fc.assert(
      fc.property(
        facts,
        time,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (fs, now, frac) => {
          const ev = evaluate(fs, now, DEFAULT_RULE_SET);
          const start = Date.parse(now);
          const end = ev.reviewAt === null ? start + 400 * 86_400_000 : Date.parse(ev.reviewAt);
          expect(end).toBeGreaterThan(start);
          const between = new Date(start + Math.floor(frac * (end - start))).toISOString();
          expect(evaluate(fs, between, DEFAULT_RULE_SET)).toEqual(ev);
          if (ev.reviewAt !== null) expect(evaluate(fs, new Date(end - 1), DEFAULT_RULE_SET)).toEqual(ev);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stepping now to reviewAt walks through every colour change of a scenario", () => {
    const fs = [
      event("e1", "close_contact", at(0)),
      event("e2", "secondary_contact", at(18)),
      exposure("c1", at(19)),
    ];
    const seen: [string, string][] = [];
    let now: string | null = at(1);
    while (now !== null) {
      const ev = evaluate(fs, now, DEFAULT_RULE_SET);
      seen.push([now, ev.color]);
      now = ev.reviewAt;
    }
    expect(seen).toEqual([
      [at(1), "red"],
      [at(18), "red"], // facts dated later are review points of their own
      [at(19), "red"],
      [at(21), "yellow"], // close contact lifted; secondary contact (until day 25) and visit (until day 33)
      [at(25), "yellow"], // secondary contact lifted; the visit remains
      [at(33), "green"],
    ]);
  });
});

describe("the rule set is data", () => {
  it("a different duration in the rule set changes the outcome", () => {
    const shorter: RuleSet = {
      ...DEFAULT_RULE_SET,
      version: "test.1",
      rules: DEFAULT_RULE_SET.rules.map((r) =>
        r.id === "close-contact" ? { ...r, version: "2", lift: { afterDays: 14, from: "trigger" } } : r,
      ),
    };
    const fs = [event("e1", "close_contact", at(0))];
    expect(evaluate(fs, at(14), DEFAULT_RULE_SET).color).toBe("red");
    const ev = evaluate(fs, at(13), shorter);
    expect(ev).toMatchObject({ color: "red", ruleSetVersion: "test.1", reviewAt: at(14) });
    expect(ev.reasons[0]).toMatchObject({
      rule: "close-contact",
      ruleVersion: "2",
      ruleSetVersion: "test.1",
    });
    expect(evaluate(fs, at(14), shorter).color).toBe("green");
  });

  it("a rule set without a rule for a fact ignores that fact", () => {
    const onlyContacts: RuleSet = {
      ...DEFAULT_RULE_SET,
      rules: DEFAULT_RULE_SET.rules.filter((r) => r.trigger.fact === "authority_event"),
    };
    expect(evaluate([exposure("c1", at(0))], at(1), onlyContacts).color).toBe("green");
  });

  it("rejects a time that is not a time", () => {
    expect(() => evaluate([], "yesterday", DEFAULT_RULE_SET)).toThrow(RangeError);
    expect(() => evaluate([exposure("c1", "soon")], at(0), DEFAULT_RULE_SET)).toThrow(/exposure:ra1:c1/);
  });

  it("accepts now as a Date", () => {
    const fs = [exposure("c1", at(0))];
    expect(evaluate(fs, new Date(at(1)), DEFAULT_RULE_SET)).toEqual(evaluate(fs, at(1), DEFAULT_RULE_SET));
  });
});
