import { createRoute } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { Access } from "../../durable/managers";
import { qrSvg } from "../../qr/svg";
import type { VenueRow } from "../../schema/d1/venues";
import { errorResponses, PersonIdParam, problems, security } from "../../schema/wire/common";
import {
  CheckInBody,
  CheckInResultSchema,
  CursorQuery,
  PersonCheckInsSchema,
  RotatingCodeSchema,
  VenueIdParam,
} from "../../schema/wire/venues";
import { type AppEnv, newApp } from "../app";
import { keyAuth, personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { decodeCursor, encodeCursor } from "../http/keyset-cursor";
import { conflict, forbidden, invalid, notFound, ProblemError } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { requireManaged } from "../persons/access";
import { requireOwnedVenue } from "./access";
import { checkInAs } from "./checkin-record";
import { directoryVenue } from "./directory";
import { locationVerdict } from "./geo";
import { checkInUrl, type PlaceFailure, signPlaceCode, verifyPlaceCode } from "./place-code";
import { presenceOf } from "./presence";
import { findVenue } from "./repo";
import { venueSettings } from "./settings";

/** Device keys are random `dev_…` strings, ID tokens are JWTs: the prefix says which check applies. */
const deviceOrOwner = createMiddleware<AppEnv>(async (c, next) => {
  const isDeviceKey = /^Bearer\s+dev_/i.test(c.req.header("authorization") ?? "");
  return (isDeviceKey ? keyAuth("device") : personAuth)(c, next);
});

const rotating = createRoute({
  method: "get",
  path: "/v1/venues/{venueId}/rotating-code",
  tags: ["Venues"],
  summary: "A short-lived on-screen place code, for check-ins that must prove presence (device key or owner)",
  security: [...security.deviceKey, ...security.idToken],
  middleware: [deviceOrOwner] as const,
  request: { params: VenueIdParam },
  responses: {
    200: { description: "The code", content: { "application/json": { schema: RotatingCodeSchema } } },
    ...errorResponses,
  },
});

const checkIn = createRoute({
  method: "post",
  path: "/v1/checkins",
  tags: ["Venues"],
  summary: "Check in at a venue with its signed place code; answers what to show the staff",
  description:
    "A forged or tampered place code is a 400 naming `placeCode`; an expired rotating code or a voided poster is 422 " +
    "(`place-code-expired`, `place-code-revoked`); a device location farther than the configured radius (default 1 km) " +
    "from the venue is refused with 422 `too-far`. `presence` says how being there was shown: `location` (inside the radius), " +
    "`rotating_code`, or `unconfirmed` (a printed poster without a location). Retrying within two minutes, or with the same Idempotency-Key, " +
    "returns the first check-in (200) instead of recording another.",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CheckInBody } } } },
  responses: {
    200: {
      description: "The same visit, already recorded",
      content: { "application/json": { schema: CheckInResultSchema } },
    },
    201: { description: "Checked in", content: { "application/json": { schema: CheckInResultSchema } } },
    409: problems[409],
    422: problems[422],
    ...errorResponses,
  },
});

const listMine = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/checkins",
  tags: ["Persons"],
  summary: "The person's check-ins, newest first (kept for the retention period)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam, query: CursorQuery },
  responses: {
    200: { description: "Check-ins", content: { "application/json": { schema: PersonCheckInsSchema } } },
    ...errorResponses,
  },
});

const PAGE = 50;

function placeCodeProblem(reason: PlaceFailure): ProblemError {
  if (reason === "expired") {
    return new ProblemError(
      422,
      "place-code-expired",
      "Place code expired",
      "This on-screen place code has expired; scan the code on the venue's screen again",
      {
        errors: [{ path: "placeCode", message: "has expired" }],
      },
    );
  }
  return invalid([{ path: "placeCode", message: `is not a valid place code (${reason})` }]);
}

function requireCheckInAccess(access: Access | null): void {
  if (!access) throw forbidden("You do not manage this person");
  if (!access.checkins)
    throw forbidden("A relative checks in an adult with their own account only if they do it themselves");
}

/** Why this venue takes no check-in with this code from here (null: it does). */
function venueRefusal(
  venue: VenueRow | undefined,
  gen: number,
  where: ReturnType<typeof locationVerdict> | null,
): ProblemError | null {
  if (!venue || !where) return invalid([{ path: "placeCode", message: "names no venue" }]);
  if (gen !== venue.placeCodeGen) {
    return new ProblemError(
      422,
      "place-code-revoked",
      "Place code replaced",
      "The venue has replaced this place code; scan the poster at the venue",
      {
        errors: [{ path: "placeCode", message: "has been replaced by the venue" }],
      },
    );
  }
  if (venue.closedAt) return conflict("This venue is closed");
  if (where.tooFar) {
    // Refused rather than stored: a check-in from far away is a forwarded code, and recording it would
    // expose the sender to the venue's risk (Henan 2022). Someone really there checks in with staff.
    return new ProblemError(
      422,
      "too-far",
      "Too far from the venue",
      `Your device is about ${Math.round(where.distanceM! / 100) / 10} km from this venue; check in at the venue`,
      {
        errors: [{ path: "location", message: "is too far from the venue" }],
        distanceM: where.distanceM,
      },
    );
  }
  return null;
}

export const checkInRoutes = newApp()
  .openapi(rotating, async (c) => {
    const { venueId } = c.req.valid("param");
    const caller = c.get("caller");
    const venue =
      caller.kind === "person"
        ? await requireOwnedVenue(c.env, caller, venueId)
        : await findVenue(c.env, venueId);
    if (!venue || (caller.kind !== "person" && caller.ownerId !== venueId))
      throw forbidden("This key is for another venue");
    if (venue.closedAt) throw conflict("This venue is closed");
    const ttl = venueSettings(c.env).rotatingTtlSeconds;
    const { placeCode, expiresAt } = await signPlaceCode(
      c.env,
      { venueId, gen: venue.placeCodeGen, kind: "rotating" },
      ttl,
    );
    const url = checkInUrl(config(c.env).issuer, placeCode);
    c.header("cache-control", "no-store");
    return c.json(
      {
        placeCode,
        checkInUrl: url,
        kind: "rotating" as const,
        expiresAt: expiresAt!,
        ttlSeconds: ttl,
        qrSvg: qrSvg(url),
      },
      200,
    );
  })
  .openapi(checkIn, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    const check = await verifyPlaceCode(c.env, body.placeCode.trim());
    if (!check.ok) throw placeCodeProblem(check.reason);
    // The directory row from the per-isolate cache (directory.ts): no D1 read on the hot path.
    const venue = await directoryVenue(c.env, check.claims.venueId);
    const radiusM = venueSettings(c.env).checkInRadiusM;
    const where = venue ? locationVerdict(venue, body.location, radiusM) : null;
    const refused = venueRefusal(venue, check.claims.gen, where);
    if (!isPersonId(body.personId)) throw forbidden("You do not manage this person");
    if (refused || !venue || !where) {
      // Whether the caller may record where the person is comes first, as when the visit is kept.
      requireCheckInAccess(
        (await c.env.PERSON.getByName(body.personId).accessAndSummary(caller.accountId)).access,
      );
      throw refused ?? invalid([{ path: "placeCode", message: "names no venue" }]);
    }
    // One call to the person's object: whether the caller may record where the person is (the person,
    // or a relative of a minor or of someone without their own account), the colour, and the visit.
    const person = await checkInAs(c.env, caller.accountId, {
      venueId: venue.venueId,
      venueName: venue.name,
      personId: body.personId,
      kind: check.claims.kind,
      // Without a location (or a venue without one) a printed poster proves nothing: anyone can
      // photograph it, and venue ids are public. Recorded, but unconfirmed.
      presence: presenceOf({
        lane: "place_code",
        placeKind: check.claims.kind,
        distanceM: where.distanceM,
        radiusM,
      }),
      distanceM: where.distanceM,
      idempotencyKey: c.req.header("idempotency-key")?.slice(0, 200),
    });
    requireCheckInAccess(person.access);
    const { summary: state, saved } = person;
    if (!state || !saved) throw notFound("This person has no code yet; apply first");
    // Only scans of live codes can be refused as replays.
    if (saved.replayed) throw conflict("This check-in was refused");
    const { row, created } = saved;
    c.header("cache-control", "no-store");
    return c.json(
      {
        checkInId: row.checkInId,
        venueId: venue.venueId,
        venueName: row.venueName ?? venue.name,
        color: state.color,
        checkedInAt: row.checkedInAt,
        kind: row.kind,
        presence: row.presence,
        distanceM: row.distanceM,
      },
      created ? 201 : 200,
    );
  })
  .openapi(listMine, async (c) => {
    const { personId } = c.req.valid("param");
    const { cursor } = c.req.valid("query");
    await requireManaged(c.env, personCaller(c), personId, "checkins");
    const rows = await c.env.PERSON.getByName(personId).checkIns(
      PAGE + 1,
      cursor ? decodeCursor(cursor) : undefined,
    );
    const page = rows.slice(0, PAGE);
    const last = page[page.length - 1];
    c.header("cache-control", "no-store");
    return c.json(
      {
        checkins: page.map((r) => ({
          checkInId: r.checkInId,
          venueId: r.venueId,
          venueName: r.venueName,
          kind: r.kind,
          presence: r.presence,
          checkedInAt: r.checkedInAt,
          voidedAt: r.voidedAt,
        })),
        ...(rows.length > PAGE && last
          ? { nextCursor: encodeCursor({ at: last.checkedInAt, id: last.checkInId }) }
          : {}),
      },
      200,
    );
  });
