export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A bad time is a bug upstream (facts are validated on intake): fail loudly rather than guess. */
export function toMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid time: ${JSON.stringify(iso)}`);
  return ms;
}

/** API.md writes times without milliseconds (`2026-11-27T09:30:00Z`); keep them only when set. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
