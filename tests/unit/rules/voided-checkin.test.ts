import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { cannotChange, evaluate } from "../../../durable/rules/engine";
import type { CheckInVoidedFact, Fact } from "../../../durable/rules/facts";
import { exposure } from "./facts.fixture";

const voided = (checkInId: string, voidedAt: string): CheckInVoidedFact => ({
  kind: "checkin_voided",
  id: `voided:${checkInId}`,
  checkInId,
  voidedAt,
  reason: "Appeal upheld",
  actor: "cdc",
  appealId: "ap_1",
});

describe("a check-in voided on appeal", () => {
  const now = "2026-11-20T12:00:00Z";

  it("removes every exposure it caused, from any designation, and only those", () => {
    const facts: Fact[] = [
      exposure("ci_a", "2026-11-19T09:00:00Z", "ra1"),
      exposure("ci_a", "2026-11-19T09:00:00Z", "ra2"),
      exposure("ci_b", "2026-11-19T10:00:00Z", "ra1"),
    ];
    expect(evaluate(facts, now, DEFAULT_RULE_SET).color).toBe("yellow");
    const one = evaluate([...facts, voided("ci_a", "2026-11-20T11:00:00Z")], now, DEFAULT_RULE_SET);
    expect(one.color).toBe("yellow");
    expect(one.reasons[0]!.facts).toEqual(["exposure:ra1:ci_b"]);
    const both = evaluate(
      [...facts, voided("ci_a", "2026-11-20T11:00:00Z"), voided("ci_b", "2026-11-20T11:00:00Z")],
      now,
      DEFAULT_RULE_SET,
    );
    expect(both.color).toBe("green");
    expect(both.reasons).toEqual([]);
  });

  it("is never skipped as a fact that cannot change the colour", () => {
    const facts: Fact[] = [exposure("ci_a", "2026-11-19T09:00:00Z")];
    expect(cannotChange(voided("ci_a", "2026-11-20T11:00:00Z"), facts, now, DEFAULT_RULE_SET)).toBe(false);
  });
});
