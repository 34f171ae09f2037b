import { createRoute } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import { VenueIdParam, VenueStatsSchema } from "../../schema/wire/venues";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { shanghaiDate } from "../lib/shanghai";
import { requireOwnedVenue } from "./access";

const route = createRoute({
  method: "get",
  path: "/v1/venues/{venueId}/stats",
  tags: ["Venues"],
  summary: "Check-ins per day and the colours seen, for the owner; counts only, no personal data",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: VenueIdParam },
  responses: {
    200: { description: "Statistics", content: { "application/json": { schema: VenueStatsSchema } } },
    ...errorResponses,
  },
});

type Day = {
  date: string;
  checkIns: number;
  colors: { green: number; yellow: number; red: number };
  kinds: Record<string, number>;
};

/** Folds (day, kind, colour, n) rows into one entry per day. */
export function foldStats(rows: { day: string; kind: string; color: string | null; n: number }[]): Day[] {
  const days = new Map<string, Day>();
  for (const r of rows) {
    let d = days.get(r.day);
    if (!d) {
      d = { date: r.day, checkIns: 0, colors: { green: 0, yellow: 0, red: 0 }, kinds: {} };
      days.set(r.day, d);
    }
    d.checkIns += r.n;
    d.kinds[r.kind] = (d.kinds[r.kind] ?? 0) + r.n;
    if (r.color === "green" || r.color === "yellow" || r.color === "red") d.colors[r.color] += r.n;
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export const statsRoutes = newApp().openapi(route, async (c) => {
  const { venueId } = c.req.valid("param");
  await requireOwnedVenue(c.env, personCaller(c), venueId);
  const since = new Date(Date.now() - config(c.env).checkinRetentionDays * 86_400_000).toISOString();
  // Counted per day by the venue's object at each check-in: a read of a few rows, whatever the traffic.
  const rows = await c.env.VENUE.getByName(venueId).daily(shanghaiDate(new Date(since)));
  c.header("cache-control", "private, max-age=60");
  return c.json({ venueId, since, days: foldStats(rows) }, 200);
});
