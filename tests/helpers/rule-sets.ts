import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import type { RuleSet } from "../../durable/rules/rule-set";

/** The default table with close contacts lasting `days` days instead of 21, under a new version label. */
export function closeContactFor(days: number, version: string): RuleSet {
  return {
    ...DEFAULT_RULE_SET,
    version,
    publishedAt: "2026-11-25T00:00:00Z",
    rules: DEFAULT_RULE_SET.rules.map((r) =>
      r.id === "close-contact"
        ? { ...r, version: "2", lift: { afterDays: days, from: "trigger" as const } }
        : r,
    ),
  };
}
