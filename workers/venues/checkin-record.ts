import type { CheckInKind, CheckInRow } from "../../schema/d1/checkins";
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

export async function saveCheckIn(
  env: Env,
  input: {
    venueId: string;
    venueName: string;
    personId: string;
    kind: CheckInKind;
    color: CheckInRow["color"];
    distanceM?: number | null;
    deviceKeyId?: string | null;
    entryId?: string | null;
    idempotencyKey?: string;
  },
  now = Date.now(),
): Promise<{ row: CheckInRow; created: boolean }> {
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
  };
  const since = new Date(now - venueSettings(env).dedupeWindowMs).toISOString();
  const { riskAreaIds, ...saved } = await recordCheckIn(env, row, since);
  if (saved.created) await exposeNewCheckIn(env, saved.row, input.venueName, riskAreaIds);
  return saved;
}
