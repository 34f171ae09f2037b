/**
 * Venue settings with defaults. Read from optional variables (PLACE_CODE_TTL_SECONDS,
 * CHECKIN_RADIUS_METERS, MANUAL_ENTRY_LIMIT_PER_HOUR) so a deployment can tune them without a code change; they are not in
 * `[vars]` because the defaults are what the contract promises.
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

const cache = new WeakMap<object, VenueSettings>();

function int(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function venueSettings(env: Env): VenueSettings {
  let s = cache.get(env);
  if (!s) {
    const vars = env as unknown as Record<string, unknown>;
    s = {
      rotatingTtlSeconds: int(vars.PLACE_CODE_TTL_SECONDS, 60),
      checkInRadiusM: int(vars.CHECKIN_RADIUS_METERS, 1000),
      dedupeWindowMs: 120_000,
      manualEntryLimitPerHour: int(vars.MANUAL_ENTRY_LIMIT_PER_HOUR, 120),
    };
    cache.set(env, s);
  }
  return s;
}
