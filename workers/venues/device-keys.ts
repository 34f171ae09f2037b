import { createRoute } from "@hono/zod-openapi";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  CreatedDeviceKeySchema,
  DeviceKeyBody,
  DeviceKeyListSchema,
  KeyIdParam,
  VenueIdParam,
} from "../../schema/wire/venues";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { revokeKey } from "../auth/api-keys";
import { personAuth, personCaller } from "../auth/middleware";
import { conflict, notFound } from "../http/problems";
import { requireOwnedVenue } from "./access";
import { MAX_DEVICE_KEYS_PER_VENUE } from "./limits";
import { deviceKeys, issueDeviceKey } from "./repo";

const add = createRoute({
  method: "post",
  path: "/v1/venues/{venueId}/device-keys",
  tags: ["Venues"],
  summary: "Add a device key for another scanner (shown once)",
  description: `A venue holds at most ${MAX_DEVICE_KEYS_PER_VENUE} live device keys; beyond, 409 (revoke one first).`,
  security: security.idToken,
  middleware: [personAuth] as const,
  request: {
    params: VenueIdParam,
    body: { required: false, content: { "application/json": { schema: DeviceKeyBody } } },
  },
  responses: {
    201: { description: "The key", content: { "application/json": { schema: CreatedDeviceKeySchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/v1/venues/{venueId}/device-keys",
  tags: ["Venues"],
  summary: "The venue's device keys (ids and labels; the keys themselves are never shown again)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: VenueIdParam },
  responses: {
    200: { description: "Keys", content: { "application/json": { schema: DeviceKeyListSchema } } },
    ...errorResponses,
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/v1/venues/{venueId}/device-keys/{keyId}",
  tags: ["Venues"],
  summary: "Revoke a device key (a lost or stolen scanner)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: VenueIdParam.merge(KeyIdParam) },
  responses: { 204: { description: "Revoked" }, ...errorResponses },
});

export const deviceKeyRoutes = newApp()
  .openapi(add, async (c) => {
    const { venueId } = c.req.valid("param");
    const venue = await requireOwnedVenue(c.env, personCaller(c), venueId);
    if (venue.closedAt) throw conflict("This venue is closed");
    // The body is optional: without one, zod-openapi skips validation and there is no label.
    const label = (c.req.valid("json") as { label?: string } | undefined)?.label ?? null;
    const key = await issueDeviceKey(c.env, venueId, label);
    if (!key) {
      await audit(
        c.env,
        personCaller(c),
        {
          action: "venue.device_key_refused",
          target: venueId,
          detail: { why: "device_key_limit", limit: MAX_DEVICE_KEYS_PER_VENUE },
        },
        c.get("requestId"),
      );
      throw conflict(
        `A venue holds at most ${MAX_DEVICE_KEYS_PER_VENUE} live device keys; revoke one first`,
        {
          limit: MAX_DEVICE_KEYS_PER_VENUE,
        },
      );
    }
    c.header("cache-control", "no-store");
    return c.json({ keyId: key.keyId, deviceKey: key.key }, 201);
  })
  .openapi(list, async (c) => {
    const { venueId } = c.req.valid("param");
    await requireOwnedVenue(c.env, personCaller(c), venueId);
    return c.json({ keys: await deviceKeys(c.env, venueId) }, 200);
  })
  .openapi(revoke, async (c) => {
    const { venueId, keyId } = c.req.valid("param");
    await requireOwnedVenue(c.env, personCaller(c), venueId);
    if (!(await revokeKey(c.env, venueId, keyId))) throw notFound("No such live key for this venue");
    return c.body(null, 204);
  });
