import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { colorChanges, colorSnapshots } from "../../schema/d1/colors";
import { persons } from "../../schema/d1/persons";
import { districtName } from "../../schema/districts";
import type { Color } from "../../schema/vocabulary";
import { StatsSchema } from "../../schema/wire/authority";
import { errorResponses, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { authorityAuth } from "../auth/middleware";
import { shanghaiDate } from "../lib/shanghai";
import { allShards } from "../lib/shards";

type Counts = Record<Color, number>;

/** Folds (district, colour, n) rows into the answer; pure so the arithmetic is unit-testable. */
export function tally(rows: readonly { districtCode: string | null; color: string; n: number }[]) {
  const byColor: Counts = { green: 0, yellow: 0, red: 0 };
  const districts = new Map<string | null, Counts>();
  for (const r of rows) {
    const color: Color = r.color === "red" || r.color === "yellow" ? r.color : "green";
    byColor[color] += r.n;
    const d = districts.get(r.districtCode) ?? { green: 0, yellow: 0, red: 0 };
    d[color] += r.n;
    districts.set(r.districtCode, d);
  }
  return {
    total: byColor.green + byColor.yellow + byColor.red,
    byColor,
    byDistrict: [...districts]
      .map(([districtCode, c]) => ({
        districtCode,
        districtName: districtCode ? (districtName(districtCode) ?? null) : null,
        ...c,
      }))
      // Districts in code order, persons without a district (passports, permits) last.
      .sort((a, b) =>
        a.districtCode === b.districtCode
          ? 0
          : a.districtCode === null
            ? 1
            : b.districtCode === null
              ? -1
              : a.districtCode < b.districtCode
                ? -1
                : 1,
      ),
  };
}

export interface DailyPoint extends Counts {
  /** The day (Asia/Shanghai), YYYY-MM-DD. */
  at: string;
}

const DAY_MS = 86_400_000;
const SERIES_DAYS = 30;

/**
 * Persons by colour at the end of each of the last `days` days (Asia/Shanghai), rebuilt from the
 * registrations per day and the change log: every change moves one person from `from` to `to`.
 * Pure, so the arithmetic is unit-testable; D1 only supplies the per-day groups.
 */
export function dailySeries(
  registered: readonly { day: string; n: number }[],
  changes: readonly { day: string; fromColor: string | null; toColor: string; n: number }[],
  lastDay: string,
  days = SERIES_DAYS,
): DailyPoint[] {
  const firstDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const flagged = { yellow: 0, red: 0 };
  let total = 0;
  const apply = (day: string) => {
    for (const r of registered) if (r.day === day) total += r.n;
    for (const c of changes) {
      if (c.day !== day) continue;
      if (c.fromColor === "yellow" || c.fromColor === "red") flagged[c.fromColor] -= c.n;
      if (c.toColor === "yellow" || c.toColor === "red") flagged[c.toColor] += c.n;
    }
  };
  const before = new Set([...registered.map((r) => r.day), ...changes.map((c) => c.day)]);
  for (const day of [...before].filter((d) => d < firstDay).sort()) apply(day);
  const out: DailyPoint[] = [];
  for (let i = 0; i < days; i++) {
    const day = new Date(Date.parse(`${firstDay}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10);
    apply(day);
    const yellow = Math.max(0, flagged.yellow);
    const red = Math.max(0, flagged.red);
    out.push({ at: day, green: Math.max(0, total - yellow - red), yellow, red });
  }
  return out;
}

/** The calendar day in Asia/Shanghai (UTC+8, no daylight saving) of an ISO time column, in SQL. */
const shanghaiDay = (column: unknown) => sql<string>`substr(datetime(${column}, '+8 hours'), 1, 10)`;

const route = createRoute({
  method: "get",
  path: "/v1/authority/stats",
  tags: ["Authority"],
  summary: "Registered persons by colour and by district of registration (from D1, not the objects)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Counts", content: { "application/json": { schema: StatsSchema } } },
    ...errorResponses,
  },
});

/** The three groupings of one person shard, in one round trip. */
function shardGroups(shard: D1Database) {
  const db = drizzle(shard);
  return db.batch([
    // Every registered person counts; one whose first snapshot has not reached D1 yet is green,
    // which is what init makes them.
    db
      .select({
        districtCode: persons.districtCode,
        color: sql<string>`coalesce(${colorSnapshots.color}, 'green')`.as("color"),
        n: sql<number>`count(*)`.as("n"),
      })
      .from(persons)
      .leftJoin(colorSnapshots, sql`${colorSnapshots.personId} = ${persons.personId}`)
      .groupBy(persons.districtCode, sql`coalesce(${colorSnapshots.color}, 'green')`),
    db
      .select({ day: shanghaiDay(persons.createdAt).as("day"), n: sql<number>`count(*)`.as("n") })
      .from(persons)
      .groupBy(sql`day`),
    db
      .select({
        day: shanghaiDay(colorChanges.at).as("day"),
        fromColor: colorChanges.fromColor,
        toColor: colorChanges.toColor,
        n: sql<number>`count(*)`.as("n"),
      })
      .from(colorChanges)
      .groupBy(sql`day`, colorChanges.fromColor, colorChanges.toColor),
  ]);
}

export const statsRoutes = newApp().openapi(route, async (c) => {
  // Every shard at once; the groups of different shards add up (tally and dailySeries sum them).
  const parts = await allShards(c.env, shardGroups);
  const rows = parts.flatMap((p) => p[0]);
  const registered = parts.flatMap((p) => p[1]);
  const changes = parts.flatMap((p) => p[2]);
  const today = shanghaiDate(new Date());
  return c.json({ ...tally(rows), series: dailySeries(registered, changes, today) }, 200);
});
