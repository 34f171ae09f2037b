import type { Access } from "../../durable/managers";
import type { RecordedVisit, VisitCheck } from "../../durable/person-checkins";
import type { ColorSummary } from "../../durable/person-types";
import type { CheckInKind, CheckInRow, Presence } from "../../schema/checkins";
import { randomId, sha256 } from "../auth/hashing";
import { config } from "../config";
import { encodeBase64url } from "../lib/base64url";
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

/** What the route knows of a visit before the person's object decides on it. */
export interface VisitInput {
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
}

async function visitOf(env: Env, input: VisitInput, now: number) {
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
  const check: VisitCheck = {
    dedupeSince: new Date(now - venueSettings(env).dedupeWindowMs).toISOString(),
    // Scans of this code are all after its iat (less the verifier's clock tolerance): that bounds the search.
    replaySince: input.liveCode ? new Date((input.liveCode.iat - 120) * 1000).toISOString() : null,
    keyed: Boolean(input.idempotencyKey),
  };
  return { row, check, retentionDays };
}

/** What the route answers with: the visit, or that the code was already scanned elsewhere. */
const savedOf = (saved: RecordedVisit): SavedCheckIn =>
  saved.replayed
    ? { row: null, created: false, replayed: true }
    : { row: saved.row, created: saved.created, replayed: false };

/**
 * Records a visit in two objects and no D1 row, in one call from here: the person's object (the one
 * place all of a person's visits meet, so it decides "same visit within two minutes", "same
 * Idempotency-Key" and "code already scanned elsewhere" atomically) records it, then has the venue's
 * object keep its copy under the same id and adds the exposure of designations in force that cover
 * it. The venue write is idempotent and made again for a repeat until the venue is known to hold the
 * visit, so a retry after a failure between the two completes it.
 */
export async function saveCheckIn(env: Env, input: VisitInput, now = Date.now()): Promise<SavedCheckIn> {
  const { row, check, retentionDays } = await visitOf(env, input, now);
  return savedOf(await env.PERSON.getByName(input.personId).recordCheckIn(row, check, retentionDays));
}

/**
 * `saveCheckIn` for the check-in route, with its access check in the same call to the person's
 * object (one round trip fewer): the visit is recorded only if `accountId` may check the person in
 * and the person has a code, in the colour the object holds at that moment; `saved` is null otherwise.
 */
export async function checkInAs(
  env: Env,
  accountId: string,
  input: Omit<VisitInput, "color">,
  now = Date.now(),
): Promise<{ access: Access | null; summary: ColorSummary | null; saved: SavedCheckIn | null }> {
  const { row, check, retentionDays } = await visitOf(env, { ...input, color: null }, now);
  const out = await env.PERSON.getByName(input.personId).checkInAs(accountId, row, check, retentionDays);
  return { ...out, saved: out.saved ? savedOf(out.saved) : null };
}
