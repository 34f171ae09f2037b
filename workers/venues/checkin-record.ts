import type { CheckInKind, CheckInRow, Presence } from "../../schema/checkins";
import { randomId, sha256 } from "../auth/hashing";
import { config } from "../config";
import { encodeBase64url } from "../lib/base64url";
import { exposeCovered } from "../risk-areas/live";
import { venueSettings } from "./settings";

/**
 * An Idempotency-Key makes the id deterministic, so the same request sent twice lands on one row
 * even outside the dedupe window; without one, a fresh id and the window decide.
 */
export async function checkInIdFor(
  personId: string,
  venueId: string,
  idempotencyKey: string | undefined,
): Promise<string> {
  if (!idempotencyKey) return randomId("ci");
  return `ci_${encodeBase64url((await sha256(`${personId}|${venueId}|${idempotencyKey}`)).slice(0, 12))}`;
}

export type SavedCheckIn =
  | { row: CheckInRow; created: boolean; replayed: false }
  /** The same live code was already scanned at another venue: nothing recorded. */
  | { row: null; created: false; replayed: true };

/**
 * Records a visit in two objects and no D1 row: first the person's (the one place all of a person's
 * visits meet, so it decides "same visit within two minutes", "same Idempotency-Key" and "code
 * already scanned elsewhere" atomically), then the venue's under the same id. The venue write is
 * idempotent and made on every call, the same visit's too, so a retry after a failure between the
 * two completes it; the venue answers with the designations in force that cover the visit.
 */
export async function saveCheckIn(
  env: Env,
  input: {
    venueId: string;
    /** Kept with the visit: renaming the venue later changes no history. */
    venueName: string;
    personId: string;
    kind: CheckInKind;
    presence: Presence;
    color: CheckInRow["color"];
    distanceM?: number | null;
    deviceKeyId?: string | null;
    entryId?: string | null;
    idempotencyKey?: string;
    /** For a scanned live code: its `iat`, by which an earlier scan of the same code elsewhere is found. */
    liveCode?: { iat: number };
  },
  now = Date.now(),
): Promise<SavedCheckIn> {
  const row: CheckInRow = {
    checkInId: await checkInIdFor(input.personId, input.venueId, input.idempotencyKey),
    venueId: input.venueId,
    personId: input.personId,
    kind: input.kind,
    checkedInAt: new Date(now).toISOString(),
    color: input.color,
    distanceM: input.distanceM ?? null,
    deviceKeyId: input.deviceKeyId ?? null,
    entryId: input.entryId ?? null,
    presence: input.presence,
    venueName: input.venueName,
    codeIat: input.liveCode?.iat ?? null,
    voidedAt: null,
  };
  const retentionDays = config(env).checkinRetentionDays;
  const check = {
    dedupeSince: new Date(now - venueSettings(env).dedupeWindowMs).toISOString(),
    // Scans of this code are all after its iat (less the verifier's clock tolerance): that bounds the search.
    replaySince: input.liveCode ? new Date((input.liveCode.iat - 120) * 1000).toISOString() : null,
  };
  const saved = await env.PERSON.getByName(input.personId).recordCheckIn(row, check, retentionDays);
  if (saved.replayed) return { row: null, created: false, replayed: true };
  const atVenue = await env.VENUE.getByName(input.venueId).record(saved.row, retentionDays);
  if (atVenue.covering.length > 0) await exposeCovered(env, saved.row, atVenue.covering);
  return { row: saved.row, created: saved.created, replayed: false };
}
