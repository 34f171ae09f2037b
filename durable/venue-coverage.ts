import { CONFIRMED_PRESENCES, type Presence } from "../schema/checkins";
import type { VenueDesignation } from "./venue-types";

/**
 * Whether a designation takes a visit at `at` with this presence: inside its window (both ends
 * included), and confirmed when it excludes unconfirmed visits. The rule of the live match at
 * check-in, the same as the fan-out's page filter (VenueStore.page).
 */
export function covers(d: VenueDesignation, at: string, presence: Presence): boolean {
  const t = Date.parse(at);
  if (t < Date.parse(d.from) || t > Date.parse(d.to)) return false;
  return !d.excludeUnconfirmed || CONFIRMED_PRESENCES.includes(presence);
}

const DAY_MS = 86_400_000;

/** Rows visited before this instant have outlived the retention window. */
export const retentionCutoff = (nowMs: number, retentionDays: number): string =>
  new Date(nowMs - retentionDays * DAY_MS).toISOString();

/** When the oldest row (at `oldestAt`) leaves the window: the next retention alarm. */
export const expiryOf = (oldestAt: string, retentionDays: number): number =>
  Date.parse(oldestAt) + retentionDays * DAY_MS;
