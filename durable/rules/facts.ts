import type { Color } from "../../schema/vocabulary";

/**
 * Facts are what a person's Durable Object knows; the colour is always a pure function of them
 * (durable/rules/engine.ts). Every fact has a stable `id`, so adding the same fact twice is a no-op
 * and at-least-once delivery converges. Times are ISO 8601 UTC strings.
 */
export type { Color };

export const COLOR_RANK: Record<Color, number> = { green: 0, yellow: 1, red: 2 };

export interface TestResultFact {
  kind: "test_result";
  /** `result:{labId}:{sampleId}` */
  id: string;
  labId: string;
  sampleId: string;
  test: "nucleic_acid" | "antibody";
  result: "positive" | "negative";
  sampledAt: string;
  reportedAt: string;
}

export interface AuthorityEventFact {
  kind: "authority_event";
  /** `event:{eventId}` */
  id: string;
  event: "confirmed" | "close_contact" | "secondary_contact" | "released";
  occurredAt: string;
  reason: string;
  /** Who recorded it (the authority subject), for the audit trail shown in the history. */
  actor: string;
}

export interface ExposureFact {
  kind: "exposure";
  /** `exposure:{riskAreaId}:{checkInId}` */
  id: string;
  riskAreaId: string;
  venueId: string;
  venueName: string;
  level: "high" | "medium";
  visitedAt: string;
  reason: string;
  /** The visit that caused it (also the id's last part); a voided check-in voids the exposure. */
  checkInId?: string;
  /** How presence at the visit was shown (`location`, `rotating_code`, `staff_scan`, `unconfirmed`). */
  presence?: "location" | "rotating_code" | "staff_scan" | "unconfirmed";
}

/**
 * The authority upheld an appeal against a check-in the person did not make: exposures from that
 * check-in no longer count. Kept, with its reason, so the history says why the colour changed.
 */
export interface CheckInVoidedFact {
  kind: "checkin_voided";
  /** `voided:{checkInId}` */
  id: string;
  checkInId: string;
  voidedAt: string;
  reason: string;
  actor: string;
  /** The appeal that asked for it. */
  appealId: string;
}

/** The authority lifted a risk area: exposures from it no longer count. */
export interface RiskAreaLiftedFact {
  kind: "risk_area_lifted";
  /** `lifted:{riskAreaId}` */
  id: string;
  riskAreaId: string;
  liftedAt: string;
  reason: string;
  actor: string;
}

/** A colour carried over from a previous code system at switch-over, with its original cause. */
export interface ImportedColorFact {
  kind: "imported_color";
  /** `import:{source}:{personId}:{since}` */
  id: string;
  color: Color;
  reason: string;
  since: string;
  source: string;
}

export interface VaccinationFact {
  kind: "vaccination";
  /** `vaccination:{siteId}:{recordId}` */
  id: string;
  siteId: string;
  product: string;
  dose: number;
  date: string;
}

export type Fact =
  | TestResultFact
  | AuthorityEventFact
  | ExposureFact
  | RiskAreaLiftedFact
  | ImportedColorFact
  | VaccinationFact
  | CheckInVoidedFact;

export type FactKind = Fact["kind"];
