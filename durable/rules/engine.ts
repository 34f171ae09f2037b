import { COLOR_RANK, type Color, type Fact } from "./facts";
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

/**
 * The colour is a pure function of (facts as a set, now, rule set): the Durable Object may call
 * this at any time, in any order of arrival, and replay gives the same answer.
 */
export function evaluate(facts: readonly Fact[], now: Date | string, ruleSet: RuleSet): Evaluation {
  const nowMs = typeof now === "string" ? toMs(now, "now") : now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError("now is not a valid time");

  const known: Known[] = [];
  const pending: number[] = [];
  for (const fact of dedupe(facts)) {
    const at = toMs(factTime(fact), `time of fact ${fact.id}`);
    if (at <= nowMs) known.push({ fact, at });
    // A fact dated in the future (clock skew, a scheduled release) counts from its own time.
    else if (fact.kind !== "vaccination") pending.push(at);
  }

  const liftedAreas = new Set<string>();
  const releases: number[] = [];
  const negatives: { nucleic_acid: number[]; antibody: number[] } = { nucleic_acid: [], antibody: [] };
  for (const { fact, at } of known) {
    if (fact.kind === "risk_area_lifted") liftedAreas.add(fact.riskAreaId);
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
