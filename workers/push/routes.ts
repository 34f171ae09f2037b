// Notifications (API.md): the VAPID key for PushManager.subscribe, and an account's subscriptions.
import { createRoute } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import {
  SubscribeBody,
  SubscriptionSchema,
  UnsubscribeBody,
  VapidPublicKeySchema,
} from "../../schema/wire/push";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid, notFound } from "../http/problems";
import { deleteOwnSubscription, upsertSubscription } from "./repo";
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
    "The body is what the browser's PushSubscription.toJSON() gives. An endpoint belongs to one account: " +
    "subscribing it from another account moves it there.",
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
  },
});

export const pushRoutes = newApp()
  .openapi(vapidKeyRoute, (c) => {
    // Public and the same for every caller; a rotation ships with a deploy, so an hour is safe.
    c.header("cache-control", "public, max-age=3600");
    return c.json({ key: c.env.VAPID_PUBLIC_KEY }, 200);
  })
  .openapi(subscribeRoute, async (c) => {
    const caller = personCaller(c);
    const { subscription } = c.req.valid("json");
    const errors = await checkSubscription(subscription, {
      devMode: config(c.env).devMode,
      prefix: "subscription",
    });
    if (errors.length > 0) throw invalid(errors);
    const { created, row } = await upsertSubscription(c.env, {
      accountId: caller.accountId,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      at: new Date().toISOString(),
    });
    return c.json({ endpoint: row.endpoint, createdAt: row.createdAt }, created ? 201 : 200);
  })
  .openapi(unsubscribeRoute, async (c) => {
    const caller = personCaller(c);
    const { endpoint } = c.req.valid("json");
    // Someone else's endpoint answers exactly like an unknown one: no way to probe who holds what.
    if (!(await deleteOwnSubscription(c.env, caller.accountId, endpoint))) {
      throw notFound("This account has no subscription with that endpoint");
    }
    return c.body(null, 204);
  });
