// One encrypted Web Push message to one subscription: RFC 8291 body from
// @block65/webcrypto-web-push, VAPID from ./vapid, and the push service's answer as a PushOutcome.
import { encryptNotification } from "@block65/webcrypto-web-push";
import { checkPushEndpoint } from "./endpoint-policy";
import { backoffSeconds, classifyPushResponse, type PushOutcome } from "./outcome";
import { type VapidKeys, vapidAuthorization } from "./vapid";

export type { PushOutcome } from "./outcome";
export type { VapidKeys } from "./vapid";

export type PushSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

/** RFC 8030 §5.3. */
export type PushUrgency = "very-low" | "low" | "normal" | "high";

export interface SendPushOptions {
  /** Seconds the push service keeps the message for an offline device (RFC 8030 §5.2). */
  ttl?: number;
  urgency?: PushUrgency;
  /** Replaces an undelivered message with the same topic (RFC 8030 §5.4): ≤ 32 base64url chars. */
  topic?: string;
  /** Deliveries already tried for this message (0 on the first), for backoff. */
  attempt?: number;
  /** Re-applies the subscription-time endpoint policy; development mode admits loopback http. */
  devMode?: boolean;
  fetcher?: typeof fetch;
  timeoutMs?: number;
}

/** Our payloads are a few fields; anything bigger is a bug, and push services cap near 4 KB anyway. */
export const MAX_PAYLOAD_BYTES = 1024;

/** A colour change still matters when the phone comes back online hours later; after a day the app has refreshed. */
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Encrypts and POSTs `payload` as JSON. Throws for problems on our side (payload too large, bad
 * subscription keys or VAPID secrets, an endpoint the policy refuses); answers from the push service
 * and network failures come back as a PushOutcome.
 */
export async function sendPush(
  sub: PushSubscription,
  payload: object,
  vapid: VapidKeys,
  opts: SendPushOptions = {},
): Promise<PushOutcome> {
  const policy = checkPushEndpoint(sub.endpoint, { devMode: opts.devMode ?? false });
  if (!policy.ok) throw new Error(`refusing to push: ${policy.message}`);

  const json = JSON.stringify(payload);
  if (json === undefined) throw new TypeError("push payload does not serialise to JSON");
  const plaintext = new TextEncoder().encode(json);
  if (plaintext.byteLength > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`push payload is ${plaintext.byteLength} bytes, the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  const ttl = opts.ttl ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 0) throw new RangeError("ttl must be a non-negative integer");
  if (opts.topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(opts.topic)) {
    throw new RangeError("topic must be 1-32 base64url characters");
  }

  // The package pads every message to one full 4096-byte record. Keep it: the payload's length
  // would otherwise tell the push service which colour ("red" vs "yellow" vs "green") was sent.
  // encryptNotification does not look at the endpoint, so http dev endpoints need no workaround.
  const body = await encryptNotification(
    { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys },
    plaintext,
  );
  const headers: Record<string, string> = {
    authorization: await vapidAuthorization(sub.endpoint, vapid),
    "content-encoding": "aes128gcm",
    "content-type": "application/octet-stream",
    ttl: String(ttl),
    urgency: opts.urgency ?? "normal",
  };
  if (opts.topic !== undefined) headers.topic = opts.topic;

  const fetcher = opts.fetcher ?? fetch;
  let response: Response;
  try {
    response = await fetcher(sub.endpoint, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch {
    // DNS failure, reset or timeout: the push service may be fine a moment later.
    return { kind: "retry", afterSeconds: backoffSeconds(opts.attempt ?? 0) };
  }
  // Release the connection; push services answer with nothing we use.
  await response.body?.cancel();
  return classifyPushResponse(
    response.status,
    response.headers.get("retry-after"),
    opts.attempt ?? 0,
    Date.now(),
  );
}
