import { z } from "@hono/zod-openapi";
import { COLORS } from "../vocabulary";
import { IsoTimeSchema } from "./common";

const EndpointSchema = z
  .string()
  .min(1)
  .max(2048)
  .openapi({ example: "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH" });

// Shape only here; what the bytes must be (a P-256 point, a 16-byte secret) and which endpoints are
// allowed (the SSRF policy, which depends on development mode) is checked in workers/push/subscriptions.ts.
const Base64url = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9_-]+$/, "unpadded base64url");

export const SubscribeBody = z
  .object({
    /** Exactly what `PushSubscription.toJSON()` gives in a browser. */
    subscription: z.object({
      endpoint: EndpointSchema,
      expirationTime: z.number().nullable().optional(),
      keys: z.object({
        p256dh: Base64url.openapi({ description: "65-byte uncompressed P-256 public key, base64url" }),
        auth: Base64url.openapi({ description: "16-byte auth secret, base64url" }),
      }),
    }),
  })
  .openapi("PushSubscribe");

export const UnsubscribeBody = z.object({ endpoint: EndpointSchema }).openapi("PushUnsubscribe");

export const SubscriptionSchema = z
  .object({ endpoint: z.string(), createdAt: IsoTimeSchema })
  .openapi("PushSubscription");

export const VapidPublicKeySchema = z
  .object({
    key: z
      .string()
      .openapi({ description: "VAPID public key: the applicationServerKey for PushManager.subscribe" }),
  })
  .openapi("VapidPublicKey");

/** What a subscriber decrypts when a managed person's colour changes (API.md, Notifications). */
export const ColorChangePushSchema = z.object({
  personId: z.string(),
  color: z.enum(COLORS),
  previousColor: z.enum(COLORS).nullable(),
  at: z.string(),
});

/** What the person's own accounts decrypt for a notice (e.g. a relative added their code). */
export const NoticePushSchema = z.object({
  personId: z.string(),
  notice: z.object({ kind: z.string(), at: z.string(), text: z.object({ zh: z.string(), en: z.string() }) }),
});

export type ColorChangePush = z.infer<typeof ColorChangePushSchema>;
export type NoticePush = z.infer<typeof NoticePushSchema>;
export type PushPayload = ColorChangePush | NoticePush;
