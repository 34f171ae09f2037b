import type { Color } from "./vocabulary";

/**
 * Check-ins live in Durable Objects (issue 12): each venue's in its venue object
 * (durable/venue.ts), each person's own in their person object (durable/person-checkins.ts). No
 * D1 table holds one. These are the words and the row both share.
 */

/** How a visit was recorded; kept so that exposure review can weigh a printed-code check-in. */
export const CHECKIN_KINDS = ["printed", "rotating", "scan", "manual"] as const;
export type CheckInKind = (typeof CHECKIN_KINDS)[number];

/**
 * How presence at the venue was shown (workers/venues/presence.ts): a device location inside the
 * radius, a rotating on-screen code, a staff scan of a live code issued within the last minute, or
 * nothing that proves the person was there (printed poster without location, manual entry, older code).
 */
export const PRESENCES = ["location", "rotating_code", "staff_scan", "unconfirmed"] as const;
export type Presence = (typeof PRESENCES)[number];

/** Presence values that count as confirmed. */
export const CONFIRMED_PRESENCES: readonly Presence[] = ["location", "rotating_code", "staff_scan"];

/** One visit of a person to a venue. Only the opaque personId is stored. */
export interface CheckInRow {
  checkInId: string;
  venueId: string;
  personId: string;
  kind: CheckInKind;
  checkedInAt: string;
  /** The person's colour at the moment of check-in, for the venue's statistics. */
  color: Color | null;
  /** Metres between the device's reported location and the venue's, when both were known. */
  distanceM: number | null;
  /** The device key that scanned or entered the visit (staff lanes). */
  deviceKeyId: string | null;
  /** The manual entry this row stands for (kind "manual"). */
  entryId: string | null;
  presence: Presence;
  /** The venue's name at the visit: renaming a venue changes no history. */
  venueName: string | null;
  /** `iat` of the live code a staff scan read: the same code scanned at another venue is a replay. */
  codeIat: number | null;
  /** Set when an upheld appeal voided the visit: it no longer counts for exposure. */
  voidedAt: string | null;
}
