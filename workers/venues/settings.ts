import { config } from "../config";

/**
 * Venue settings (PLACE_CODE_TTL_SECONDS, CHECKIN_RADIUS_METERS, MANUAL_ENTRY_LIMIT_PER_HOUR in
 * workers/config.ts) so a deployment can tune them without a code change; they are not in `[vars]`
 * because the defaults are what the contract promises.
 */
export interface VenueSettings {
  /** How long a rotating on-screen place code is accepted. */
  rotatingTtlSeconds: number;
  /** A device location farther than this from the venue refuses the check-in. */
  checkInRadiusM: number;
  /** A second check-in of the same person at the same venue inside this window is the same visit. */
  dedupeWindowMs: number;
  /**
   * Manual entries a venue may record per hour, all its devices together (default 120: one every
   * 30 s, the pace of a desk typing names and phones by hand). Bounds what a compromised venue can
   * write into people's histories; a large hospital raises it.
   */
  manualEntryLimitPerHour: number;
}

export function venueSettings(env: Env): VenueSettings {
  const cfg = config(env);
  return {
    rotatingTtlSeconds: cfg.placeCodeTtlSeconds,
    checkInRadiusM: cfg.checkinRadiusMeters,
    dedupeWindowMs: 120_000,
    manualEntryLimitPerHour: cfg.manualEntryLimitPerHour,
  };
}
