import type { CheckInRow } from "../schema/checkins";

/** A check-in's columns as both objects store them (venue migration 1, person migration 4). */
export interface CheckInColumns extends Record<string, SqlStorageValue> {
  check_in_id: string;
  kind: string;
  checked_in_at: string;
  color: string | null;
  distance_m: number | null;
  device_key_id: string | null;
  entry_id: string | null;
  presence: string;
  venue_name: string | null;
  code_iat: number | null;
  voided_at: string | null;
}

/** The row as the routes see it; each object supplies the side it does not store (venue or person). */
export function checkInFromColumns(r: CheckInColumns, venueId: string, personId: string): CheckInRow {
  return {
    checkInId: r.check_in_id,
    venueId,
    personId,
    kind: r.kind as CheckInRow["kind"],
    checkedInAt: r.checked_in_at,
    color: r.color as CheckInRow["color"],
    distanceM: r.distance_m,
    deviceKeyId: r.device_key_id,
    entryId: r.entry_id,
    presence: r.presence as CheckInRow["presence"],
    venueName: r.venue_name,
    codeIat: r.code_iat,
    voidedAt: r.voided_at,
  };
}
