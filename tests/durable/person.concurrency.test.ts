import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { evaluate } from "../../durable/rules/engine";
import { DAY, exposure, type Fact, freshPerson, HOUR, result } from "./helpers";

describe("200 concurrent addFacts on one person", () => {
  it("loses no fact, and versions go up by one per change with no gap", async () => {
    const { stub } = await freshPerson();
    // Twelve cycles inside the last 13 days: a risk-area visit (yellow), then two negatives 24 h apart
    // after it (green). Arriving roughly in order they flip the colour back and forth; the other
    // facts (antibody negatives) change nothing but contend for the same object.
    const base = Date.now() - 13 * DAY;
    const cycles: Fact[] = Array.from({ length: 12 }, (_, k) => {
      const t = base + k * 26 * HOUR;
      return [
        exposure(`v${k}`, t),
        result(`a${k}`, "negative", t + HOUR),
        result(`b${k}`, "negative", t + 25 * HOUR),
      ];
    }).flat();
    const filler: Fact[] = Array.from({ length: 200 - cycles.length }, (_, i) =>
      result(`ab${i}`, "negative", base + i * HOUR, "antibody"),
    );
    const facts = [...cycles, ...filler];
    const outcomes = await Promise.all(facts.map((f) => stub.addFacts([f])));
    expect(outcomes.every((o) => o.added === 1)).toBe(true);

    const stored = await stub.facts();
    expect(new Set(stored.map((f) => f.id))).toEqual(new Set(facts.map((f) => f.id)));

    const status = (await stub.status())!;
    const history = [...status.history].reverse();
    expect(history.map((h) => h.version)).toEqual(history.map((_, i) => i + 1));
    for (let i = 1; i < history.length; i++) expect(history[i]!.from).toBe(history[i - 1]!.to);
    expect(status.state.version).toBe(history.length);
    expect(status.state.color).toBe(evaluate(facts, new Date(), DEFAULT_RULE_SET).color);
    expect(history.length).toBeGreaterThan(2);
  });
});
