import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { evaluate } from "../../../durable/rules/engine";
import type {
  AuthorityEventFact,
  Color,
  ExposureFact,
  Fact,
  ImportedColorFact,
  RiskAreaLiftedFact,
  TestResultFact,
} from "../../../durable/rules/facts";

export const T0 = "2026-11-20T10:00:00Z";
const T0_MS = Date.parse(T0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** T0 shifted by days, hours and minutes (negative goes back), as an API time string. */
export function at(days: number, hours = 0, minutes = 0): string {
  return new Date(T0_MS + days * DAY + hours * HOUR + minutes * MINUTE).toISOString().replace(".000Z", "Z");
}

export function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString().replace(".000Z", "Z");
}

export function test(
  id: string,
  result: "positive" | "negative",
  sampledAt: string,
  kind: TestResultFact["test"] = "nucleic_acid",
): TestResultFact {
  return {
    kind: "test_result",
    id: `result:lab1:${id}`,
    labId: "lab1",
    sampleId: id,
    test: kind,
    result,
    sampledAt,
    reportedAt: shift(sampledAt, 6 * HOUR),
  };
}

export function event(id: string, kind: AuthorityEventFact["event"], occurredAt: string): AuthorityEventFact {
  return {
    kind: "authority_event",
    id: `event:${id}`,
    event: kind,
    occurredAt,
    reason: `${kind} by CDC`,
    actor: "cdc",
  };
}

export function exposure(id: string, visitedAt: string, riskAreaId = "ra1"): ExposureFact {
  return {
    kind: "exposure",
    id: `exposure:${riskAreaId}:${id}`,
    riskAreaId,
    venueId: "v1",
    venueName: "Jinli market",
    level: "medium",
    visitedAt,
    reason: "risk area",
  };
}

export function lifted(riskAreaId: string, liftedAt: string): RiskAreaLiftedFact {
  return {
    kind: "risk_area_lifted",
    id: `lifted:${riskAreaId}`,
    riskAreaId,
    liftedAt,
    reason: "cleared",
    actor: "cdc",
  };
}

export function imported(color: Color, since: string): ImportedColorFact {
  return {
    kind: "imported_color",
    id: `import:old:p1:${since}`,
    color,
    reason: "old system",
    since,
    source: "old",
  };
}

export const colorAt = (facts: readonly Fact[], now: string): Color =>
  evaluate(facts, now, DEFAULT_RULE_SET).color;

export const evalAt = (facts: readonly Fact[], now: string) => evaluate(facts, now, DEFAULT_RULE_SET);
