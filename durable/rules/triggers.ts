import type { Fact } from "./facts";
import type { Trigger } from "./rule-set";

/** The moment a fact happened: what rules count their durations from. */
export function factTime(fact: Fact): string {
  switch (fact.kind) {
    case "test_result":
      return fact.sampledAt;
    case "authority_event":
      return fact.occurredAt;
    case "exposure":
      return fact.visitedAt;
    case "risk_area_lifted":
      return fact.liftedAt;
    case "imported_color":
      return fact.since;
    case "vaccination":
      return fact.date;
    case "checkin_voided":
      return fact.voidedAt;
  }
}

export function matchesTrigger(fact: Fact, trigger: Trigger): boolean {
  switch (trigger.fact) {
    case "test_result":
      return fact.kind === "test_result" && fact.test === trigger.test && fact.result === trigger.result;
    case "authority_event":
      return fact.kind === "authority_event" && fact.event === trigger.event;
    case "exposure":
      return fact.kind === "exposure" && (trigger.levels?.includes(fact.level) ?? true);
    case "imported_color":
      return fact.kind === "imported_color" && fact.color === trigger.color;
  }
}
