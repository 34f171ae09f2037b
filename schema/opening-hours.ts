// Opening hours as published: local time in Asia/Shanghai by weekday. The shapes and their checks
// live here, beside the wire schema that uses them; when a site is open is workers/testing-sites/opening-hours.ts.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** `["08:00", "18:00"]`: open from the first time (inclusive) to the second (exclusive). */
export type Interval = [string, string];
export type OpeningHours = Partial<Record<Weekday, Interval[]>>;

const DAY_MINUTES = 24 * 60;

/** "08:30" → 510; "24:00" is allowed as the end of a day. undefined when malformed. */
export function parseClock(s: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= DAY_MINUTES ? minutes : undefined;
}

/** Problems with one day's intervals (for validation messages); empty when fine. */
export function intervalErrors(intervals: Interval[]): string[] {
  const errors: string[] = [];
  intervals.forEach(([from, to], i) => {
    const a = parseClock(from);
    const b = parseClock(to);
    if (a === undefined || a === DAY_MINUTES) errors.push(`${i}.0: must be a time HH:MM from 00:00 to 23:59`);
    if (b === undefined) errors.push(`${i}.1: must be a time HH:MM from 00:00 to 24:00`);
    else if (a !== undefined && a === b) errors.push(`${i}: an interval must not be empty`);
  });
  return errors;
}
