import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { evaluate } from "../../../durable/rules/engine";
import type { Fact } from "../../../durable/rules/facts";
import { applyEvaluation, type ColorState, initialState } from "../../../durable/rules/transition";
import { at, event, exposure, test } from "./facts.fixture";

const ev = (facts: Fact[], now: string) => evaluate(facts, now, DEFAULT_RULE_SET);

describe("initialState", () => {
  it("is green, version 1, since the given time", () => {
    expect(initialState(at(0))).toEqual({
      color: "green",
      version: 1,
      since: at(0),
      reasons: [],
      reviewAt: null,
      ruleSetVersion: DEFAULT_RULE_SET.version,
    });
  });
});

describe("applyEvaluation", () => {
  const positive = test("s1", "positive", at(1));

  it("a colour change bumps the version by one and records rules, rule set and cause", () => {
    const { state, change } = applyEvaluation(initialState(at(0)), ev([positive], at(1)), at(1), {
      kind: "fact",
      factIds: [positive.id],
    });
    expect(state).toMatchObject({
      color: "red",
      version: 2,
      since: at(1),
      reviewAt: null,
      ruleSetVersion: "2026.1",
    });
    expect(change).toEqual({
      version: 2,
      from: "green",
      to: "red",
      at: at(1),
      cause: { kind: "fact", factIds: [positive.id] },
      rules: [{ rule: "positive-test", ruleVersion: "1" }],
      ruleSetVersion: "2026.1",
      reasons: state.reasons,
    });
    expect(change!.reasons[0]!.facts).toEqual([positive.id]);
  });

  it("new reasons with the same colour update the state but keep version, since and history", () => {
    const red = applyEvaluation(initialState(at(0)), ev([positive], at(1)), at(1), { kind: "fact" }).state;
    const more = [positive, event("e1", "close_contact", at(2))];
    const { state, change } = applyEvaluation(red, ev(more, at(2)), at(2), {
      kind: "fact",
      factIds: ["event:e1"],
    });
    expect(change).toBeNull();
    expect(state.version).toBe(2);
    expect(state.since).toBe(at(1));
    expect(state.reasons.map((r) => r.rule)).toEqual(["positive-test", "close-contact"]);
    expect(state.reviewAt).toBe(at(23));
  });

  it("an unchanged evaluation changes nothing", () => {
    const start = initialState(at(0));
    const { state, change } = applyEvaluation(start, ev([], at(5)), at(5), { kind: "time" });
    expect(change).toBeNull();
    expect(state).toEqual(start);
  });

  it("a change to green names the rules whose lifting made it green", () => {
    const facts = [event("e1", "close_contact", at(0)), event("e2", "secondary_contact", at(0))];
    const red = applyEvaluation(initialState(at(0)), ev(facts, at(0)), at(0), { kind: "fact" }).state;
    const { state, change } = applyEvaluation(red, ev(facts, at(21)), at(21), { kind: "time" });
    expect(state).toMatchObject({ color: "green", version: 3, since: at(21), reasons: [], reviewAt: null });
    expect(change).toMatchObject({
      from: "red",
      to: "green",
      cause: { kind: "time" },
      rules: [{ rule: "close-contact", ruleVersion: "1" }],
      reasons: [],
    });
  });

  it("a change to a weaker colour names the rules that hold it there", () => {
    const facts = [event("e1", "close_contact", at(0)), exposure("c1", at(15))];
    const red = applyEvaluation(initialState(at(0)), ev(facts, at(16)), at(16), { kind: "fact" }).state;
    const { change } = applyEvaluation(red, ev(facts, at(21)), at(21), { kind: "time" });
    expect(change).toMatchObject({
      from: "red",
      to: "yellow",
      rules: [{ rule: "risk-area-visit", ruleVersion: "1" }],
    });
  });

  it("following reviewAt, the version counts exactly the colour changes", () => {
    const facts = [
      exposure("c1", at(0)),
      event("e1", "close_contact", at(2)),
      test("n1", "negative", at(3)),
      test("n2", "negative", at(4)),
    ];
    let state: ColorState = initialState(at(0));
    const changes: [string, string, string][] = [];
    let now: string | null = at(0);
    while (now !== null) {
      const e = ev(facts, now);
      const out = applyEvaluation(state, e, now, { kind: "time" });
      state = out.state;
      if (out.change) changes.push([out.change.from!, out.change.to, out.change.at]);
      now = e.reviewAt;
    }
    expect(changes).toEqual([
      ["green", "yellow", at(0)],
      ["yellow", "red", at(2)],
      ["red", "green", at(23)],
    ]);
    expect(state.version).toBe(4);
  });

  it("a new rule set that changes nothing about the colour is recorded in the state only", () => {
    const facts = [exposure("c1", at(0))];
    const yellow = applyEvaluation(initialState(at(0)), ev(facts, at(0)), at(0), { kind: "fact" }).state;
    const next = { ...DEFAULT_RULE_SET, version: "2026.2" };
    const { state, change } = applyEvaluation(yellow, evaluate(facts, at(1), next), at(1), {
      kind: "rule_set",
    });
    expect(change).toBeNull();
    expect(state).toMatchObject({ version: 2, ruleSetVersion: "2026.2" });
    expect(state.reasons[0]!.ruleSetVersion).toBe("2026.2");
  });
});
