// Notifications (API.md): the VAPID key for PushManager.subscribe, and an account's subscriptions.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, problems, security } from "../../schema/wire/common";
import {
  SubscribeBody,
  SubscriptionSchema,
  UnsubscribeBody,
  VapidPublicKeySchema,
} from "../../schema/wire/push";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, invalid, notFound, unavailable } from "../http/problems";
import { log } from "../lib/log";
import { propagate, type SubscriptionChange } from "./propagate";
import { deleteSubscriptions, ownSubscription, upsertSubscription } from "./repo";
import { checkSubscription } from "./subscriptions";

const vapidKeyRoute = createRoute({
  method: "get",
  path: "/v1/push/vapid-public-key",
  tags: ["Notifications"],
  summary: "The VAPID public key to pass as applicationServerKey to PushManager.subscribe",
  responses: {
    200: { description: "Key", content: { "application/json": { schema: VapidPublicKeySchema } } },
  },
});

const subscribeRoute = createRoute({
  method: "post",
  path: "/v1/push/subscriptions",
  tags: ["Notifications"],
  summary: "Receive an encrypted Web Push message whenever a person this account manages changes colour",
  description:
    "The body is what the browser's PushSubscription.toJSON() gives. An endpoint belongs to the account that " +
    "registered it: another account posting the same endpoint gets 409 and moves nothing (the owner deletes it first). " +
    "Endpoints must be https with a public host: literal private, loopback, link-local and reserved addresses are " +
    "refused in every spelling (decimal or hex IPv4, IPv4-mapped IPv6 …). A public name that resolves to a private " +
    "address cannot be checked here (see workers/push/endpoint-policy.ts).",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: SubscribeBody } } } },
  responses: {
    200: {
      description: "Already subscribed by this account (keys refreshed)",
      content: { "application/json": { schema: SubscriptionSchema } },
    },
    201: { description: "Subscribed", content: { "application/json": { schema: SubscriptionSchema } } },
    400: errorResponses[400],
    401: errorResponses[401],
    409: problems[409],
    503: problems[503],
  },
});

const unsubscribeRoute = createRoute({
  method: "delete",
  path: "/v1/push/subscriptions",
  tags: ["Notifications"],
  summary: "Stop push messages to one of this account's endpoints",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: UnsubscribeBody } } } },
  responses: {
    204: { description: "Unsubscribed" },
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    503: problems[503],
  },
});

export const pushRoutes = newApp()
  .openapi(vapidKeyRoute, (c) => {
    // Public and the same for every caller; a rotation ships with a deploy, so an hour is safe.
    c.header("cache-control", "public, max-age=3600");
    return c.json({ key: config(c.env).vapidPublicKey }, 200);
  })
  .openapi(subscribeRoute, async (c) => {
    const caller = personCaller(c);
    const { subscription } = c.req.valid("json");
    const errors = await checkSubscription(subscription, {
      devMode: config(c.env).devMode,
      prefix: "subscription",
    });
    if (errors.length > 0) throw invalid(errors);
    const result = await upsertSubscription(c.env, {
      accountId: caller.accountId,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      at: new Date().toISOString(),
    });
    if ("taken" in result) {
      // No endpoint in the audit row: it is a capability URL to someone's device.
      await audit(
        c.env,
        caller,
        { action: "push.subscribe_refused", detail: { why: "endpoint_of_another_account" } },
        c.get("requestId"),
      );
      throw conflict("This push endpoint is registered by another account");
    }
    const { created, row, evicted } = result;
    // The copies in the objects of the persons this account manages (where the notify consumer reads).
    await tellObjects(c.env, {
      accountId: caller.accountId,
      upserts: [
        { id: row.id, accountId: row.accountId, endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth },
      ],
      removed: evicted,
    });
    return c.json({ endpoint: row.endpoint, createdAt: row.createdAt }, created ? 201 : 200);
  })
  .openapi(unsubscribeRoute, async (c) => {
    const caller = personCaller(c);
    const { endpoint } = c.req.valid("json");
    // Someone else's endpoint answers exactly like an unknown one: no way to probe who holds what.
    const own = await ownSubscription(c.env, caller.accountId, endpoint);
    if (!own) throw notFound("This account has no subscription with that endpoint");
    // The objects first: should this request fail after, the row is still in D1 and a retry repeats both.
    await tellObjects(c.env, { accountId: caller.accountId, upserts: [], removed: [own.id] });
    await deleteSubscriptions(c.env, caller.accountId, [own.id]);
    return c.body(null, 204);
  });

/** A 503 when an object cannot be told: the D1 write stands and the client's retry repeats it all. */
async function tellObjects(env: Env, change: SubscriptionChange): Promise<void> {
  try {
    await propagate(env, change);
  } catch (err) {
    log("warn", "push subscription not copied to the managed persons", { error: String(err) });
    throw unavailable("Subscription saved but not yet in effect; retry the request", 1);
  }
}
