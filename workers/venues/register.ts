import { createRoute } from "@hono/zod-openapi";
import { isDistrictCode } from "../../schema/districts";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  CreatedVenueSchema,
  CreateVenueBody,
  UpdateVenueBody,
  VenueIdParam,
  VenueListSchema,
  VenueSchema,
} from "../../schema/wire/venues";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { issueKey, revokeKey } from "../auth/api-keys";
import { randomId } from "../auth/hashing";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, invalid } from "../http/problems";
import { requireOwnedVenue } from "./access";
import { checkCreditCode } from "./credit-code";
import { MAX_VENUES_PER_ACCOUNT } from "./limits";
import { checkInUrl, signPlaceCode } from "./place-code";
import { venueView } from "./present";
import { insertVenue, liveDeviceKeyIds, ownedVenues, updateVenue } from "./repo";

const create = createRoute({
  method: "post",
  path: "/v1/venues",
  tags: ["Venues"],
  summary: "Register a venue: its signed place code and a first device key (shown once)",
  description:
    "The venue starts `unverified`: it takes check-ins, but staff look-ups and identified manual entries wait until the " +
    `authority verifies it. One account registers at most ${MAX_VENUES_PER_ACCOUNT} venues (closed ones count); beyond, 409.`,
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateVenueBody } } } },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: CreatedVenueSchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/v1/venues",
  tags: ["Venues"],
  summary: "The venues this account registered",
  security: security.idToken,
  middleware: [personAuth] as const,
  responses: {
    200: { description: "Venues", content: { "application/json": { schema: VenueListSchema } } },
    ...errorResponses,
  },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/venues/{venueId}",
  tags: ["Venues"],
  summary: "Edit a venue, renew its printed place code (voiding old posters), close or reopen it",
  description:
    "Renaming changes no history (each check-in keeps the name at the visit). Changing the name, address, district or " +
    "location of a verified venue makes it unverified again: the authority verified what it was. Reopening a closed " +
    "venue renews its printed place code, so posters printed before it closed stay void.",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: {
    params: VenueIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateVenueBody } } },
  },
  responses: {
    200: { description: "The venue", content: { "application/json": { schema: VenueSchema } } },
    ...errorResponses,
  },
});

const close = createRoute({
  method: "delete",
  path: "/v1/venues/{venueId}",
  tags: ["Venues"],
  summary:
    "Close a venue: no more check-ins, every device key revoked; past check-ins still count for exposure",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: VenueIdParam },
  responses: { 204: { description: "Closed" }, ...errorResponses },
});

function checkDistrict(code: string | undefined) {
  if (code !== undefined && !isDistrictCode(code)) {
    throw invalid([{ path: "districtCode", message: "is not a known GB/T 2260 district code" }]);
  }
}

async function closeVenue(env: Env, venueId: string, at: string) {
  await updateVenue(env, venueId, { closedAt: at, updatedAt: at });
  for (const keyId of await liveDeviceKeyIds(env, venueId)) await revokeKey(env, venueId, keyId);
}

export const registerRoutes = newApp()
  .openapi(create, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    checkDistrict(body.districtCode);
    let creditCode: string | null = null;
    if (body.creditCode !== undefined) {
      const check = checkCreditCode(body.creditCode);
      if (!check.ok) throw invalid([{ path: "creditCode", message: check.message }]);
      creditCode = check.code;
    }
    const at = new Date().toISOString();
    const venueId = randomId("ven");
    const inserted = await insertVenue(c.env, {
      venueId,
      ownerAccountId: caller.accountId,
      name: body.name,
      category: body.category,
      address: body.address,
      districtCode: body.districtCode,
      lat: body.location?.lat ?? null,
      lon: body.location?.lon ?? null,
      placeCodeGen: 1,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      status: "unverified",
      creditCode,
      verifiedAt: null,
      verifiedBy: null,
    });
    if (!inserted) {
      await audit(
        c.env,
        caller,
        { action: "venue.register_refused", detail: { why: "venue_limit", limit: MAX_VENUES_PER_ACCOUNT } },
        c.get("requestId"),
      );
      throw conflict(`One account registers at most ${MAX_VENUES_PER_ACCOUNT} venues`, {
        limit: MAX_VENUES_PER_ACCOUNT,
      });
    }
    const key = await issueKey(c.env, "device", venueId, "first device");
    const { placeCode } = await signPlaceCode(c.env, { venueId, gen: 1, kind: "printed" });
    c.header("cache-control", "no-store");
    return c.json(
      {
        venueId,
        placeCode,
        checkInUrl: checkInUrl(config(c.env).issuer, placeCode),
        deviceKey: key.key,
        deviceKeyId: key.keyId,
      },
      201,
    );
  })
  .openapi(list, async (c) => {
    const rows = await ownedVenues(c.env, personCaller(c).accountId);
    return c.json({ venues: rows.map(venueView) }, 200);
  })
  .openapi(patch, async (c) => {
    const { venueId } = c.req.valid("param");
    const venue = await requireOwnedVenue(c.env, personCaller(c), venueId);
    const body = c.req.valid("json");
    checkDistrict(body.districtCode);
    const at = new Date().toISOString();
    if (body.closed === true && !venue.closedAt) await closeVenue(c.env, venueId, at);
    const reopening = body.closed === false && venue.closedAt !== null;
    const identityChanged =
      (body.name !== undefined && body.name !== venue.name) ||
      (body.address !== undefined && body.address !== venue.address) ||
      (body.districtCode !== undefined && body.districtCode !== venue.districtCode) ||
      (body.location !== undefined &&
        ((body.location?.lat ?? null) !== venue.lat || (body.location?.lon ?? null) !== venue.lon));
    const updated = await updateVenue(c.env, venueId, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.category !== undefined ? { category: body.category } : {}),
      ...(body.address !== undefined ? { address: body.address } : {}),
      ...(body.districtCode !== undefined ? { districtCode: body.districtCode } : {}),
      ...(body.location !== undefined
        ? { lat: body.location?.lat ?? null, lon: body.location?.lon ?? null }
        : {}),
      // A reopened venue gets a new generation too: posters printed before it closed stay void.
      ...(body.renewPlaceCode || reopening ? { placeCodeGen: venue.placeCodeGen + 1 } : {}),
      ...(body.closed === false ? { closedAt: null } : {}),
      ...(identityChanged && venue.status === "verified"
        ? { status: "unverified" as const, verifiedAt: null, verifiedBy: null }
        : {}),
      updatedAt: at,
    });
    return c.json(venueView(updated ?? venue), 200);
  })
  .openapi(close, async (c) => {
    const { venueId } = c.req.valid("param");
    const venue = await requireOwnedVenue(c.env, personCaller(c), venueId);
    if (!venue.closedAt) await closeVenue(c.env, venueId, new Date().toISOString());
    return c.body(null, 204);
  });
