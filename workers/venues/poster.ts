import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, problems } from "../../schema/wire/common";
import { VenueIdParam } from "../../schema/wire/venues";
import { newApp } from "../app";
import { config } from "../config";
import { notFound, ProblemError } from "../http/problems";
import { checkInUrl, signPlaceCode } from "./place-code";
import { posterSvg } from "./poster-svg";
import { findVenue } from "./repo";

const poster = createRoute({
  method: "get",
  path: "/v1/venues/{venueId}/poster.svg",
  tags: ["Venues"],
  summary: "A printable A4 poster with the signed place-code QR and instructions in Chinese and English",
  request: { params: VenueIdParam },
  responses: {
    200: { description: "SVG poster", content: { "image/svg+xml": { schema: z.string() } } },
    410: problems[410],
    ...errorResponses,
  },
});

export const posterRoutes = newApp().openapi(poster, async (c) => {
  const { venueId } = c.req.valid("param");
  const venue = await findVenue(c.env, venueId);
  if (!venue) throw notFound("No such venue");
  if (venue.closedAt)
    throw new ProblemError(
      410,
      "venue-closed",
      "Venue closed",
      "This venue is closed; its poster is withdrawn",
    );
  const { placeCode } = await signPlaceCode(c.env, { venueId, gen: venue.placeCodeGen, kind: "printed" });
  c.header("content-type", "image/svg+xml; charset=utf-8");
  c.header("cache-control", "public, max-age=300");
  return c.body(posterSvg(venue, checkInUrl(config(c.env).issuer, placeCode)), 200);
});
