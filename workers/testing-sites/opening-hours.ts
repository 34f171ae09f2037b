import { SHANGHAI_OFFSET_MS } from "../lib/shanghai";

// Opening hours are published in local time in Asia/Shanghai (a fixed UTC+8: workers/lib/shanghai.ts).

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** `["08:00", "18:00"]`: open from the first time (inclusive) to the second (exclusive). */
export type Interval = [string, string];
export type OpeningHours = Partial<Record<Weekday, Interval[]>>;

const DAY_MINUTES = 24 * 60;

export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
}

export function shanghaiLocal(now: Date): LocalTime {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  const weekday = WEEKDAYS[(local.getUTCDay() + 6) % 7]!;
  return { weekday, minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

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

/**
 * Whether a site is open at `now`. A day without an entry, or with an empty list, is closed. An
 * interval whose end is earlier than its start runs past midnight (["22:00", "02:00"] on Friday is
 * open until 02:00 on Saturday), so the previous day's intervals are consulted too.
 */
export function isOpenAt(hours: OpeningHours, now: Date): boolean {
  const { weekday, minutes } = shanghaiLocal(now);
  const today = WEEKDAYS.indexOf(weekday);
  const yesterday = WEEKDAYS[(today + 6) % 7]!;
  for (const [from, to] of hours[weekday] ?? []) {
    const a = parseClock(from);
    const b = parseClock(to);
    if (a === undefined || b === undefined) continue;
    if (a < b ? minutes >= a && minutes < b : minutes >= a) return true;
  }
  for (const [from, to] of hours[yesterday] ?? []) {
    const a = parseClock(from);
    const b = parseClock(to);
    if (a === undefined || b === undefined) continue;
    if (b < a && minutes < b) return true;
  }
  return false;
}

/** Seconds until the next local minute starts: how long an `openNow` answer stays exact. */
export function secondsToNextMinute(now: Date): number {
  return Math.max(1, 60 - Math.floor((now.getTime() % 60_000) / 1000));
}
