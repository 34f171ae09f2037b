import type { Reason } from "./rules/engine";
import type {
  AuthorityEventFact,
  CheckInVoidedFact,
  ExposureFact,
  Fact,
  ImportedColorFact,
} from "./rules/facts";
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

/**
 * A colour carried over from a previous system, as the person sees it: the reason that system gave
 * (e.g. "成都市健康码迁移：中风险地区旅居"), which system, and since when. The rule only says
 * "carried over"; this is the cause behind it.
 */
export interface ImportNote {
  id: string;
  color: ImportedColorFact["color"];
  reason: string;
  source: string;
  since: string;
}

/** A reason with the authority's own words for the events behind it and the visits that fired it. */
export type ExplainedReason = Reason & {
  events?: EventNote[];
  exposures?: ExposureNote[];
  imports?: ImportNote[];
};

/**
 * A history entry with its cause spelled out: the rules that decided with the facts that fired (or,
 * on a change to green, that had fired) them, and the authority events involved with their reasons.
 */
export type ExplainedEntry = HistoryEntry & {
  decidedBy?: { rule: string; ruleVersion: string; ruleSetVersion: string; facts: string[] }[];
  events?: EventNote[];
  exposures?: ExposureNote[];
  imports?: ImportNote[];
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

function importsFor(ids: Iterable<string>, byId: ReadonlyMap<string, Fact>): ImportNote[] {
  const out: ImportNote[] = [];
  for (const id of new Set(ids)) {
    const f = byId.get(id);
    if (f?.kind === "imported_color")
      out.push({ id: f.id, color: f.color, reason: f.reason, source: f.source, since: f.since });
  }
  return out.sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
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
  const imports = importsFor(ids, byId);
  const voided = voidsFor(change.cause.factIds ?? [], byId);
  return {
    ...change,
    decidedBy,
    ...(events.length ? { events } : {}),
    ...(exposures.length ? { exposures } : {}),
    ...(imports.length ? { imports } : {}),
    ...(voided.length ? { voided } : {}),
  };
}

/**
 * The first entry of a person created with facts (an import): its deciding rules and the carried-over
 * reasons, as explainChange gives for later changes.
 */
export function explainFirst(entry: HistoryEntry, facts: readonly Fact[]): ExplainedEntry {
  const created: ColorState = {
    color: entry.to,
    version: entry.version,
    since: entry.at,
    reasons: entry.reasons,
    reviewAt: null,
    ruleSetVersion: entry.ruleSetVersion,
  };
  return explainChange(entry, created, facts);
}

/** Current reasons with the reasons the authority gave for the events behind them. */
export function explainReasons(reasons: readonly Reason[], facts: readonly Fact[]): ExplainedReason[] {
  const byId = new Map(facts.map((f) => [f.id, f]));
  return reasons.map((r) => {
    const events = notesFor(r.facts, byId);
    const exposures = exposuresFor(r.facts, byId);
    const imports = importsFor(r.facts, byId);
    return {
      ...r,
      ...(events.length ? { events } : {}),
      ...(exposures.length ? { exposures } : {}),
      ...(imports.length ? { imports } : {}),
    };
  });
}
