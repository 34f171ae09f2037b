import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { type CounterReading, counterName } from "../../durable/counter-types";
import { addCounts, addDays, seriesFrom, zeroCounts } from "../../durable/counting";
import { counterDistricts } from "../../schema/d1/counters";
import { districtName } from "../../schema/districts";
import { COLORS, type Color } from "../../schema/vocabulary";
import { StatsSchema } from "../../schema/wire/authority";
import { errorResponses, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { authorityAuth } from "../auth/middleware";
import { shanghaiDate } from "../lib/shanghai";

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

/** The 30-day series ends today (Asia/Shanghai). */
const SERIES_DAYS = 30;

const route = createRoute({
  method: "get",
  path: "/v1/authority/stats",
  tags: ["Authority"],
  summary: "Registered persons by colour and by district (from the district counters, not a scan)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Counts", content: { "application/json": { schema: StatsSchema } } },
    ...errorResponses,
  },
});

export const statsRoutes = newApp().openapi(route, async (c) => {
  // The districts that have a counter: one row each (a few hundred, ~3,000 at most), never a scan.
  const counters = await drizzle(c.env.DB)
    .select({ counter: counterDistricts.counter })
    .from(counterDistricts);
  const firstDay = addDays(shanghaiDate(new Date()), -(SERIES_DAYS - 1));
  const readings = await Promise.all(
    counters.map(({ counter }) => c.env.DISTRICT_COUNTER.getByName(counter).read(counter, firstDay)),
  );
  return c.json(statsFrom(readings, firstDay, SERIES_DAYS), 200);
});

/** The answer from every district counter's reading; pure so the arithmetic is unit-testable. */
export function statsFrom(readings: readonly CounterReading[], firstDay: string, days: number) {
  const rows = readings.flatMap((r) =>
    COLORS.map((color) => ({
      districtCode: r.counter === counterName(null) ? null : r.counter,
      color,
      n: r.totals[color],
    })),
  );
  const { total, byColor, byDistrict } = tally(rows);
  const base = readings.reduce((acc, r) => addCounts(acc, r.base), zeroCounts());
  const series = seriesFrom(
    base,
    readings.flatMap((r) => r.days),
    firstDay,
    days,
  );
  return {
    total,
    byColor,
    // A district whose persons all moved away has nothing to show.
    byDistrict: byDistrict.filter((d) => d.green + d.yellow + d.red > 0),
    series,
  };
}
