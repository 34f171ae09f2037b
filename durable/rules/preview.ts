import { evaluate } from "./engine";
import type { Color, Fact } from "./facts";
import type { RuleSet } from "./rule-set";

/** One person's colour under the rule set in force and under a proposed one, at the same moment. */
export interface RuleSetComparison {
  from: Color;
  to: Color;
  /** The rules giving `from` (none when green). */
  decidingNow: string[];
  /** The rules giving `to` under the proposed set (none when green). */
  decidingProposed: string[];
}

/**
 * What publishing `proposed` would do to a person at `at`: both colours are evaluations of the same
 * facts at the same time, so the difference is the rule set's alone (a time-based transition that
 * is merely due is in both). `facts` must have unique ids (as the person's fact table has).
 */
export function compareRuleSets(
  facts: readonly Fact[],
  at: string,
  current: RuleSet,
  proposed: RuleSet,
): RuleSetComparison {
  const now = evaluate(facts, at, current, { uniqueIds: true });
  const next = evaluate(facts, at, proposed, { uniqueIds: true });
  const deciding = (ev: typeof now) => ev.reasons.filter((r) => r.color === ev.color).map((r) => r.rule);
  return { from: now.color, to: next.color, decidingNow: deciding(now), decidingProposed: deciding(next) };
}
