import type { Reason } from "./rules/engine";
import type { AuthorityEventFact, CheckInVoidedFact, ExposureFact, Fact } from "./rules/facts";
import type { ColorState, HistoryEntry } from "./rules/transition";

/** An authority event as the person sees it: what was recorded, when, and the reason given. */
export interface EventNote {
  id: string;
  event: AuthorityEventFact["event"];
  occurredAt: string;
  reason: string;
}

/** A visit inside a designated risk area, as the person sees it: where, when, and why the area. */
export interface ExposureNote {
  id: string;
  venueId: string;
  venueName: string;
  visitedAt: string;
  level: ExposureFact["level"];
  reason: string;
  /** The check-in behind it and how presence was shown there, so the person can appeal one they did not make. */
  checkInId?: string;
  presence?: ExposureFact["presence"];
}

/** A check-in voided on appeal, as the person sees it in the history entry it caused. */
export interface VoidNote {
  checkInId: string;
  voidedAt: string;
  reason: string;
  appealId: string;
}

/** A reason with the authority's own words for the events behind it and the visits that fired it. */
export type ExplainedReason = Reason & { events?: EventNote[]; exposures?: ExposureNote[] };

/**
 * A history entry with its cause spelled out: the rules that decided with the facts that fired (or,
 * on a change to green, that had fired) them, and the authority events involved with their reasons.
 */
export type ExplainedEntry = HistoryEntry & {
  decidedBy?: { rule: string; ruleVersion: string; ruleSetVersion: string; facts: string[] }[];
  events?: EventNote[];
  exposures?: ExposureNote[];
  voided?: VoidNote[];
};

const note = (f: AuthorityEventFact): EventNote => ({
  id: f.id,
  event: f.event,
  occurredAt: f.occurredAt,
  reason: f.reason,
});

const exposureNote = (f: ExposureFact): ExposureNote => ({
  id: f.id,
  venueId: f.venueId,
  venueName: f.venueName,
  visitedAt: f.visitedAt,
  level: f.level,
  reason: f.reason,
  ...(f.checkInId ? { checkInId: f.checkInId } : {}),
  ...(f.presence ? { presence: f.presence } : {}),
});

function voidsFor(ids: Iterable<string>, byId: ReadonlyMap<string, Fact>): VoidNote[] {
  const out: VoidNote[] = [];
  for (const id of new Set(ids)) {
    const f = byId.get(id);
    if (f?.kind === "checkin_voided") out.push(voidNote(f));
  }
  return out;
}

const voidNote = (f: CheckInVoidedFact): VoidNote => ({
  checkInId: f.checkInId,
  voidedAt: f.voidedAt,
  reason: f.reason,
  appealId: f.appealId,
});

function exposuresFor(ids: Iterable<string>, byId: ReadonlyMap<string, Fact>): ExposureNote[] {
  const out: ExposureNote[] = [];
  for (const id of new Set(ids)) {
    const f = byId.get(id);
    if (f?.kind === "exposure") out.push(exposureNote(f));
  }
  return out.sort((a, b) => a.visitedAt.localeCompare(b.visitedAt) || a.id.localeCompare(b.id));
}

function notesFor(ids: Iterable<string>, byId: ReadonlyMap<string, Fact>): EventNote[] {
  const out: EventNote[] = [];
  for (const id of new Set(ids)) {
    const f = byId.get(id);
    if (f?.kind === "authority_event") out.push(note(f));
  }
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
}

/** Spells out a change when it happens (the same choice of deciding reasons as transition.ts). */
export function explainChange(
  change: HistoryEntry,
  prev: ColorState,
  facts: readonly Fact[],
): ExplainedEntry {
  const byId = new Map(facts.map((f) => [f.id, f]));
  const deciding =
    change.to === "green"
      ? prev.reasons.filter((r) => r.color === prev.color)
      : change.reasons.filter((r) => r.color === change.to);
  const decidedBy = deciding.map((r) => ({
    rule: r.rule,
    ruleVersion: r.ruleVersion,
    ruleSetVersion: r.ruleSetVersion,
    facts: r.facts,
  }));
  const ids = [...(change.cause.factIds ?? []), ...deciding.flatMap((r) => r.facts)];
  const events = notesFor(ids, byId);
  const exposures = exposuresFor(ids, byId);
  const voided = voidsFor(change.cause.factIds ?? [], byId);
  return {
    ...change,
    decidedBy,
    ...(events.length ? { events } : {}),
    ...(exposures.length ? { exposures } : {}),
    ...(voided.length ? { voided } : {}),
  };
}

/** Current reasons with the reasons the authority gave for the events behind them. */
export function explainReasons(reasons: readonly Reason[], facts: readonly Fact[]): ExplainedReason[] {
  const byId = new Map(facts.map((f) => [f.id, f]));
  return reasons.map((r) => {
    const events = notesFor(r.facts, byId);
    const exposures = exposuresFor(r.facts, byId);
    return { ...r, ...(events.length ? { events } : {}), ...(exposures.length ? { exposures } : {}) };
  });
}
