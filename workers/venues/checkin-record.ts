import type { CheckInKind, CheckInRow, Presence } from "../../schema/d1/checkins";
import { randomId, sha256 } from "../auth/hashing";
import { encodeBase64url } from "../lib/base64url";
import { exposeNewCheckIn } from "../risk-areas/live";
import { recordCheckIn } from "./repo";
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
  const since = new Date(now - venueSettings(env).dedupeWindowMs).toISOString();
  // Scans of this code are all after its iat (less the verifier's clock tolerance): that bounds the search.
  const replaySince = input.liveCode ? new Date((input.liveCode.iat - 120) * 1000).toISOString() : undefined;
  const { riskAreaIds, replayedAt, ...saved } = await recordCheckIn(env, row, since, replaySince);
  if (replayedAt) return { row: null, created: false, replayed: true };
  if (saved.created) await exposeNewCheckIn(env, saved.row, input.venueName, riskAreaIds);
  return { ...saved, replayed: false };
}
