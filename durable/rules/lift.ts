import type { Lift, SimpleLift } from "./rule-set";
import { DAY_MS, HOUR_MS } from "./time";

/** What the engine knows at `now` that can lift a rule; every time in it is at or before `now`. */
export interface LiftFacts {
  /** `occurredAt` of every `released` authority event, ascending. */
  releases: readonly number[];
  /** `sampledAt` of every negative test, ascending, by test kind. */
  negatives: { readonly nucleic_acid: readonly number[]; readonly antibody: readonly number[] };
}

export interface ResolvedCondition {
  condition: SimpleLift;
  /** When this condition lifts the rule (possibly in the future), or null while not known. */
  at: number | null;
  /** The release that starts an `afterRelease` clock. */
  release?: number;
  /** How many of the required negative tests are already there. */
  done?: number;
}

export interface ResolvedLift {
  /** The earliest moment any condition lifts the rule, or null while none is known. */
  at: number | null;
  conditions: ResolvedCondition[];
}

export function resolveLift(lift: Lift, since: number, known: LiftFacts): ResolvedLift {
  const simple = "anyOf" in lift ? lift.anyOf : [lift];
  const conditions = simple.map((c) => resolveCondition(c, since, known));
  const times = conditions.flatMap((c) => (c.at === null ? [] : [c.at]));
  return { at: times.length ? Math.min(...times) : null, conditions };
}

function resolveCondition(condition: SimpleLift, since: number, known: LiftFacts): ResolvedCondition {
  if ("afterDays" in condition) return { condition, at: since + condition.afterDays * DAY_MS };
  if ("afterRelease" in condition) {
    // A release recorded before (or at) the trigger belongs to an earlier episode.
    const release = known.releases.find((r) => r > since);
    if (release === undefined) return { condition, at: null };
    return { condition, at: release + condition.afterRelease.days * DAY_MS, release };
  }
  const { count, spacingHours, test } = condition.negativeTests;
  const spacing = spacingHours * HOUR_MS;
  // Greedy from the earliest test finds the earliest moment the series completes.
  let done = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of known.negatives[test]) {
    if (done === count) break;
    if (t > since && (done === 0 || t - last >= spacing)) {
      done += 1;
      last = t;
    }
  }
  return { condition, at: done === count ? last : null, done };
}
