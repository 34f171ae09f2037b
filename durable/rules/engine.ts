import { COLOR_RANK, type Color, type ExposureFact, type Fact } from "./facts";
import { type LiftFacts, type ResolvedLift, resolveLift } from "./lift";
import { liftText } from "./lift-text";
import type { LocalizedText, Rule, RuleSet } from "./rule-set";
import { toIso, toMs } from "./time";
import { factTime, matchesTrigger } from "./triggers";

export interface Reason {
  rule: string;
  ruleVersion: string;
  ruleSetVersion: string;
  color: Color;
  text: LocalizedText;
  /** Ids of the facts that fire the rule now, sorted. */
  facts: string[];
  /** The earliest trigger time among those facts. */
  since: string;
  /** When the rule lifts by time alone, once that is known. */
  until?: string;
  lift: LocalizedText;
}

export interface Evaluation {
  color: Color;
  /** Every active reason, strongest colour first. */
  reasons: Reason[];
  /** The earliest moment after `now` at which the evaluation can change by time alone. */
  reviewAt: string | null;
  ruleSetVersion: string;
}

interface Known {
  fact: Fact;
  at: number;
}

interface Episode {
  fact: Fact;
  since: number;
  lift: ResolvedLift;
}

export interface EvaluateOptions {
  /**
   * The caller guarantees that no two facts share an id (e.g. they come from a table whose primary
   * key is the id): the de-duplication, which serialises every fact, is skipped. The result is the
   * same as without it for any such input.
   */
  uniqueIds?: boolean;
}

/**
 * The colour is a pure function of (facts as a set, now, rule set): the Durable Object may call
 * this at any time, in any order of arrival, and replay gives the same answer.
 */
export function evaluate(
  facts: readonly Fact[],
  now: Date | string,
  ruleSet: RuleSet,
  options: EvaluateOptions = {},
): Evaluation {
  const nowMs = typeof now === "string" ? toMs(now, "now") : now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("now is not a valid time");

  const known: Known[] = [];
  const pending: number[] = [];
  for (const fact of options.uniqueIds ? facts : dedupe(facts)) {
    const at = toMs(factTime(fact), `time of fact ${fact.id}`);
    if (at <= nowMs) known.push({ fact, at });
    // A fact dated in the future (clock skew, a scheduled release) counts from its own time.
    else if (fact.kind !== "vaccination") pending.push(at);
  }

  const liftedAreas = new Set<string>();
  const voidedCheckIns = new Set<string>();
  const releases: number[] = [];
  const negatives: { nucleic_acid: number[]; antibody: number[] } = { nucleic_acid: [], antibody: [] };
  for (const { fact, at } of known) {
    if (fact.kind === "risk_area_lifted") liftedAreas.add(fact.riskAreaId);
    else if (fact.kind === "checkin_voided") voidedCheckIns.add(fact.checkInId);
    else if (fact.kind === "authority_event" && fact.event === "released") releases.push(at);
    else if (fact.kind === "test_result" && fact.result === "negative") negatives[fact.test].push(at);
  }
  const ascending = (a: number, b: number) => a - b;
  const liftFacts: LiftFacts = {
    releases: releases.sort(ascending),
    negatives: {
      nucleic_acid: negatives.nucleic_acid.sort(ascending),
      antibody: negatives.antibody.sort(ascending),
    },
  };

  const reasons: Reason[] = [];
  for (const rule of ruleSet.rules) {
    const active = known
      .filter(({ fact }) => matchesTrigger(fact, rule.trigger))
      .filter(({ fact }) => !(fact.kind === "exposure" && liftedAreas.has(fact.riskAreaId)))
      .filter(({ fact }) => !(fact.kind === "exposure" && voidedCheckIns.has(exposureCheckIn(fact))))
      .map(({ fact, at }): Episode => ({ fact, since: at, lift: resolveLift(rule.lift, at, liftFacts) }))
      .filter((e) => e.lift.at === null || e.lift.at > nowMs);
    if (active.length === 0) continue;
    for (const e of active) if (e.lift.at !== null) pending.push(e.lift.at);
    reasons.push(toReason(rule, ruleSet.version, active));
  }

  reasons.sort(
    (a, b) =>
      COLOR_RANK[b.color] - COLOR_RANK[a.color] || compare(a.since, b.since) || compare(a.rule, b.rule),
  );
  const future = pending.filter((t) => t > nowMs);
  return {
    color: reasons[0]?.color ?? "green",
    reasons,
    reviewAt: future.length ? toIso(Math.min(...future)) : null,
    ruleSetVersion: ruleSet.version,
  };
}

/**
 * Whether adding `fact` to `facts` leaves `evaluate(facts, now, ruleSet)` unchanged, decided without
 * evaluating. Conservative: true only when the fact reaches none of the engine's inputs at `now`:
 * - dated after `now` (and not a vaccination) it would set `reviewAt`;
 * - matching a rule's trigger it would fire that rule;
 * - a lifted risk area hides exposures, a `released` event starts `afterRelease` clocks;
 * - a negative test counts towards `negativeTests` lifts, but only of rules with at least one
 *   triggering fact already (a rule without an episode has nothing to lift).
 * Everything else (vaccinations, colours or results no rule fires on) is read and ignored.
 */
export function cannotChange(
  fact: Fact,
  facts: readonly Fact[],
  now: Date | string,
  ruleSet: RuleSet,
): boolean {
  const nowMs = typeof now === "string" ? toMs(now, "now") : now.getTime();
  if (Number.isNaN(nowMs)) return false;
  const at = toMs(factTime(fact), `time of fact ${fact.id}`);
  if (at > nowMs && fact.kind !== "vaccination") return false;
  if (fact.kind === "risk_area_lifted") return false;
  if (fact.kind === "checkin_voided") return false;
  if (fact.kind === "authority_event" && fact.event === "released") return false;
  if (ruleSet.rules.some((rule) => matchesTrigger(fact, rule.trigger))) return false;
  if (fact.kind === "test_result" && fact.result === "negative") {
    const test = fact.test;
    const lifting = ruleSet.rules.filter((rule) =>
      ("anyOf" in rule.lift ? rule.lift.anyOf : [rule.lift]).some(
        (c) => "negativeTests" in c && c.negativeTests.test === test,
      ),
    );
    if (lifting.some((rule) => facts.some((f) => matchesTrigger(f, rule.trigger)))) return false;
  }
  return true;
}

/** The check-in behind an exposure: its own field, or the last part of `exposure:{riskAreaId}:{checkInId}`. */
function exposureCheckIn(fact: ExposureFact): string {
  return fact.checkInId ?? fact.id.slice(fact.id.lastIndexOf(":") + 1);
}

/** One reason per rule: several facts firing the same rule are one cause with one way out. */
function toReason(rule: Rule, ruleSetVersion: string, active: Episode[]): Reason {
  // The episode that lifts last decides when the whole reason lifts; unknown counts as never.
  const lastOut = active.reduce((a, b) => {
    const ka = a.lift.at ?? Number.POSITIVE_INFINITY;
    const kb = b.lift.at ?? Number.POSITIVE_INFINITY;
    return kb > ka || (kb === ka && b.since > a.since) ? b : a;
  });
  const reason: Reason = {
    rule: rule.id,
    ruleVersion: rule.version,
    ruleSetVersion,
    color: rule.color,
    text: { ...rule.description },
    facts: [...new Set(active.map((e) => e.fact.id))].sort(compare),
    since: toIso(Math.min(...active.map((e) => e.since))),
    lift: liftText(lastOut.lift, lastOut.since),
  };
  if (lastOut.lift.at !== null) reason.until = toIso(lastOut.lift.at);
  return reason;
}

/**
 * Same id means same fact; should two copies ever differ, keep the canonically smallest so that
 * the choice does not depend on arrival order.
 */
function dedupe(facts: readonly Fact[]): Fact[] {
  const byId = new Map<string, { fact: Fact; key: string }>();
  for (const fact of facts) {
    const key = canonical(fact);
    const seen = byId.get(fact.id);
    if (!seen || key < seen.key) byId.set(fact.id, { fact, key });
  }
  return [...byId.values()].map((v) => v.fact);
}

function canonical(fact: Fact): string {
  return JSON.stringify(Object.entries(fact).sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
