import { createRoute } from "@hono/zod-openapi";
import type { VenueRow } from "../../schema/d1/venues";
import { errorResponses, security } from "../../schema/wire/common";
import {
  AuthorityVenueListQuery,
  AuthorityVenueListSchema,
  AuthorityVenueSchema,
  VenueIdParam,
  VerifyVenueBody,
} from "../../schema/wire/venues";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { decodeCursor, encodeCursor } from "../http/keyset-cursor";
import { notFound } from "../http/problems";
import { venueView } from "./present";
import { findVenue, markVerified, venuesByStatus } from "./repo";

const list = createRoute({
  method: "get",
  path: "/v1/authority/venues",
  tags: ["Authority"],
  summary: "Venues by verification status, oldest first (`?status=unverified`: the ones waiting)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { query: AuthorityVenueListQuery },
  responses: {
    200: { description: "Venues", content: { "application/json": { schema: AuthorityVenueListSchema } } },
    ...errorResponses,
  },
});

const verify = createRoute({
  method: "post",
  path: "/v1/authority/venues/{venueId}/verify",
  tags: ["Authority"],
  summary:
    "Verify a venue (audited): it may then do staff look-ups and identified manual entries, and district designations cover it",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    params: VenueIdParam,
    body: { required: false, content: { "application/json": { schema: VerifyVenueBody } } },
  },
  responses: {
    200: {
      description: "Verified (again: the first verification stands)",
      content: { "application/json": { schema: AuthorityVenueSchema } },
    },
    ...errorResponses,
  },
});

const view = (v: VenueRow) => ({ ...venueView(v), verifiedBy: v.verifiedBy });

export const authorityVenueRoutes = newApp()
  .openapi(list, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const page = limit ?? 50;
    const rows = await venuesByStatus(c.env, status, page + 1, cursor ? decodeCursor(cursor) : undefined);
    const shown = rows.slice(0, page);
    const last = shown[shown.length - 1];
    c.header("cache-control", "no-store");
    return c.json(
      {
        venues: shown.map(view),
        ...(rows.length > page && last
          ? { nextCursor: encodeCursor({ at: last.createdAt, id: last.venueId }) }
          : {}),
      },
      200,
    );
  })
  .openapi(verify, async (c) => {
    const caller = personCaller(c);
    const { venueId } = c.req.valid("param");
    // The body is optional: without one, zod-openapi skips validation.
    const reason = (c.req.valid("json") as { reason?: string } | undefined)?.reason ?? null;
    const venue = await findVenue(c.env, venueId);
    if (!venue) throw notFound("No such venue");
    const at = new Date().toISOString();
    const verified = await markVerified(c.env, venueId, at, `${caller.issuer}|${caller.subject}`);
    if (verified) {
      await audit(
        c.env,
        caller,
        {
          action: "venue.verify",
          target: venueId,
          reason,
          detail: { districtCode: venue.districtCode, creditCode: venue.creditCode },
        },
        c.get("requestId"),
      );
    }
    return c.json(view(verified ?? venue), 200);
  });
