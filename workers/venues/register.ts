import { createRoute } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import {
  CreatedVenueSchema,
  CreateVenueBody,
  UpdateVenueBody,
  VenueIdParam,
  VenueListSchema,
  VenueSchema,
} from "../../schema/wire/venues";
import { newApp } from "../app";
import { issueKey, revokeKey } from "../auth/api-keys";
import { randomId } from "../auth/hashing";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid } from "../http/problems";
import { isDistrictCode } from "../identity/districts";
import { requireOwnedVenue } from "./access";
import { checkInUrl, signPlaceCode } from "./place-code";
import { venueView } from "./present";
import { insertVenue, liveDeviceKeyIds, ownedVenues, updateVenue } from "./repo";

const create = createRoute({
  method: "post",
  path: "/v1/venues",
  tags: ["Venues"],
  summary: "Register a venue: its signed place code and a first device key (shown once)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateVenueBody } } } },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: CreatedVenueSchema } } },
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
  summary: "Edit a venue, renew its printed place code (voiding old posters) or close it",
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
    const at = new Date().toISOString();
    const venueId = randomId("ven");
    await insertVenue(c.env, {
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
    });
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
    const updated = await updateVenue(c.env, venueId, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.category !== undefined ? { category: body.category } : {}),
      ...(body.address !== undefined ? { address: body.address } : {}),
      ...(body.districtCode !== undefined ? { districtCode: body.districtCode } : {}),
      ...(body.location !== undefined
        ? { lat: body.location?.lat ?? null, lon: body.location?.lon ?? null }
        : {}),
      ...(body.renewPlaceCode ? { placeCodeGen: venue.placeCodeGen + 1 } : {}),
      ...(body.closed === false ? { closedAt: null } : {}),
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
