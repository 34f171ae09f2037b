import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { compareRuleSets } from "../../../durable/rules/preview";
import { closeContactFor } from "../../helpers/rule-sets";
import { at, event, exposure, T0 } from "./facts.fixture";

describe("comparing a person's colour under two rule sets", () => {
  const fourteen = closeContactFor(14, "2026.9");

  it("a close contact 15 days ago is red now and green under a 14-day rule, naming the rule that decides", () => {
    const facts = [event("e1", "close_contact", at(-15))];
    expect(compareRuleSets(facts, T0, DEFAULT_RULE_SET, fourteen)).toEqual({
      from: "red",
      to: "green",
      decidingNow: ["close-contact"],
      decidingProposed: [],
    });
  });

  it("a close contact 10 days ago stays red; a risk-area visit beside one lifted early is yellow under the new set", () => {
    expect(
      compareRuleSets([event("e1", "close_contact", at(-10))], T0, DEFAULT_RULE_SET, fourteen),
    ).toMatchObject({
      from: "red",
      to: "red",
    });
    const both = [event("e1", "close_contact", at(-15)), exposure("x1", at(-2))];
    expect(compareRuleSets(both, T0, DEFAULT_RULE_SET, fourteen)).toEqual({
      from: "red",
      to: "yellow",
      decidingNow: ["close-contact"],
      decidingProposed: ["risk-area-visit"],
    });
  });

  it("a person without facts is green under both", () => {
    expect(compareRuleSets([], T0, DEFAULT_RULE_SET, fourteen)).toEqual({
      from: "green",
      to: "green",
      decidingNow: [],
      decidingProposed: [],
    });
  });
});
