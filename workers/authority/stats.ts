import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { colorSnapshots } from "../../schema/d1/colors";
import { persons } from "../../schema/d1/persons";
import { StatsSchema } from "../../schema/wire/authority";
import { errorResponses, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { authorityAuth } from "../auth/middleware";

type Color = "green" | "yellow" | "red";
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
      .map(([districtCode, c]) => ({ districtCode, ...c }))
      .sort((a, b) => (a.districtCode ?? "~").localeCompare(b.districtCode ?? "~")),
  };
}

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

export const statsRoutes = newApp().openapi(route, async (c) => {
  // Every registered person counts; one whose first snapshot has not reached D1 yet is green,
  // which is what init makes them.
  const rows = await drizzle(c.env.DB)
    .select({
      districtCode: persons.districtCode,
      color: sql<string>`coalesce(${colorSnapshots.color}, 'green')`.as("color"),
      n: sql<number>`count(*)`.as("n"),
    })
    .from(persons)
    .leftJoin(colorSnapshots, sql`${colorSnapshots.personId} = ${persons.personId}`)
    .groupBy(persons.districtCode, sql`coalesce(${colorSnapshots.color}, 'green')`)
    .all();
  return c.json(tally(rows), 200);
});
