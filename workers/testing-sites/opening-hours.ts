import { type OpeningHours, parseClock, WEEKDAYS, type Weekday } from "../../schema/opening-hours";
import { SHANGHAI_OFFSET_MS } from "../lib/shanghai";

// Opening hours are published in local time in Asia/Shanghai (a fixed UTC+8: workers/lib/shanghai.ts).

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
