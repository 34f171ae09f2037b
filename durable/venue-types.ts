import type { CheckInKind, CheckInRow, Presence } from "../schema/checkins";

// The venue object's RPC types, apart from the class (durable/venue.ts) so that callers name them
// without importing the object.

/** A designation as a venue object keeps it (a copy of the D1 risk area's fields the fan-out needs). */
export interface VenueDesignation {
  riskAreaId: string;
  level: "high" | "medium";
  from: string;
  to: string;
  reason: string;
  excludeUnconfirmed: boolean;
}

/** A visit as exposure sees it. */
export interface Visit {
  checkInId: string;
  personId: string;
  venueId: string;
  /** As it was at the visit. */
  venueName: string;
  visitedAt: string;
  presence?: Presence;
  kind?: CheckInKind;
}

export interface Keyset {
  at: string;
  id: string;
}

export interface RecordResult {
  /** The row stored under this id (the first one, when it existed already). */
  row: CheckInRow;
  inserted: boolean;
  /** Designations in force here whose window holds this visit: the caller adds their exposure. */
  covering: VenueDesignation[];
}

/** One person's visits in a window, folded: whether any was confirmed, and the causes of the others. */
export interface PersonTally {
  personId: string;
  confirmed: boolean;
  manual: boolean;
  scan: boolean;
  other: boolean;
}

/** Check-ins per Asia/Shanghai day, kind and colour (`none` when the colour was unknown). */
export interface DailyCount {
  day: string;
  kind: string;
  color: string | null;
  n: number;
}

export interface ManualEntry {
  entryId: string;
  deviceKeyId: string;
  nameEnc: string;
  phoneEnc: string;
  personId: string | null;
  enteredAt: string;
}
