// China has used UTC+8 all year since 1991 (no daylight saving), so local time in Asia/Shanghai is a
// fixed offset, computed here rather than through Intl time zones (whose data the runtime may not
// carry, and which would make pure functions depend on it).
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Shanghai wall-clock time as an ISO string without offset, e.g. `2026-11-27T20:30:00.000`. */
export function shanghaiIso(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 23);
}

/** The calendar day in Shanghai, YYYY-MM-DD. */
export const shanghaiDate = (now: Date): string => shanghaiIso(now).slice(0, 10);
