// The `healthpass-notify` queue: the Person object's outbox puts `notify` (a colour change) and
// `notice` messages here; this consumer fans each out into one `deliver` message per subscription
// of the accounts to tell, on the same queue, and sends each `deliver` with Web Push.
//
// Why a message per subscription: the queue then keeps each delivery's retry state. A 429 or 5xx
// from one push service retries that delivery alone, after its Retry-After, and never re-sends to
// the subscriptions that already accepted the message; after the retry limit it lands in the dead
// letters like any other message. The alternative (a per-message delivery record in D1) would cost
// a D1 write per delivery on the single-writer database in exactly the waves (a risk area turning
// thousands yellow) where it is busiest.
import { z } from "@hono/zod-openapi";
import { COLORS } from "../../schema/vocabulary";
import { ColorChangePushSchema, NoticePushSchema, type PushPayload } from "../../schema/wire/push";
import { config } from "../config";
import { encodeBase64url } from "../lib/base64url";
import { log } from "../lib/log";
import { notifyQueueFor } from "../lib/notify-queues";
import { backoffSeconds } from "./outcome";
import { type DeliveryOutcomes, recordOutcomes, subscriptionIdsOf, subscriptionsByIds } from "./repo";
import { MAX_PAYLOAD_BYTES, type PushUrgency, sendPush } from "./send";
import { checkVapidSubject, vapidFromEnv } from "./vapid";

/**
 * Test runs bind PUSH_FETCHER (vitest.config.ts) to a push service the tests serve and read back.
 * It is deliberately absent from wrangler.toml: in production every push is a plain `fetch`.
 */
export interface PushEnv extends Env {
  PUSH_FETCHER?: Fetcher;
}

const Color = z.enum(COLORS);
const PersonId = z.string().min(1).max(64);

const NotifyMessage = z.object({
  kind: z.literal("notify"),
  personId: PersonId,
  color: Color,
  previousColor: Color.nullable(),
  at: z.string(),
});

const NoticeMessage = z.object({
  kind: z.literal("notice"),
  personId: PersonId,
  notice: z.object({ kind: z.string(), at: z.string(), text: z.object({ zh: z.string(), en: z.string() }) }),
});

/** One push to one subscription. The id, not the endpoint or keys: those stay in D1. */
const DeliverMessage = z.object({
  kind: z.literal("deliver"),
  subscriptionId: z.string().min(1).max(64),
  /** The account holding it, which names its D1 shard (absent in messages queued before it was added). */
  accountId: z.string().min(1).max(512).optional(),
  payload: z.union([ColorChangePushSchema, NoticePushSchema]),
});

const NotifyQueueMessage = z.discriminatedUnion("kind", [NotifyMessage, NoticeMessage, DeliverMessage]);

export type DeliverMessage = z.infer<typeof DeliverMessage>;
type FanOutMessage = z.infer<typeof NotifyMessage> | z.infer<typeof NoticeMessage>;

/** Queues accept at most 100 messages a sendBatch. */
const SEND_BATCH_LIMIT = 100;
/** Queues delay a retry by at most 12 hours. */
const MAX_RETRY_DELAY_SECONDS = 12 * 60 * 60;
/**
 * A Worker invocation holds six connections at a time; more concurrent fetches would wait for a
 * slot while their timeouts already run, and a slow push service would look like a dead one.
 */
const CONCURRENT_PUSHES = 6;

export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const fanOuts: [Message<unknown>, FanOutMessage][] = [];
  const deliveries: [Message<unknown>, DeliverMessage][] = [];
  for (const m of batch.messages) {
    const parsed = NotifyQueueMessage.safeParse(m.body);
    if (!parsed.success) {
      // No retry can make it readable; retrying sends it on to the dead-letter store, where it stays visible.
      log("error", "unreadable notify message", { messageId: m.id });
      m.retry();
    } else if (parsed.data.kind === "deliver") deliveries.push([m, parsed.data]);
    else fanOuts.push([m, parsed.data]);
  }
  await Promise.all(fanOuts.map(([m, body]) => fanOut(env, m, body)));
  if (deliveries.length > 0) await deliver(env as PushEnv, deliveries);
}

/** The contract's payload (API.md, Notifications); a notice carries only what the person reads. */
export function payloadFor(body: FanOutMessage): PushPayload {
  if (body.kind === "notify") {
    return { personId: body.personId, color: body.color, previousColor: body.previousColor, at: body.at };
  }
  const { kind, at, text } = body.notice;
  return { personId: body.personId, notice: { kind, at, text } };
}

async function fanOut(env: Env, m: Message<unknown>, body: FanOutMessage): Promise<void> {
  const payload = payloadFor(body);
  const bytes = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
  if (bytes > MAX_PAYLOAD_BYTES) {
    // sendPush would refuse every delivery of it; a bug on our side, so say so once and drop it.
    log("error", "push payload too large, not sent", { personId: body.personId, kind: body.kind, bytes });
    m.ack();
    return;
  }
  try {
    // The person's object holds who manages them now: a removed or merely pending account gets nothing.
    const accounts = await env.PERSON.getByName(body.personId).managerAccounts();
    // A colour change goes to everyone managing the person; a notice ("another account asks to manage
    // your code") is for the person's own logins, not for the relatives.
    const recipients = body.kind === "notify" ? accounts : accounts.filter((a) => a.self);
    const subs = await subscriptionIdsOf(
      env,
      recipients.map((a) => a.accountId),
    );
    for (let i = 0; i < subs.length; i += SEND_BATCH_LIMIT) {
      const messages = subs.slice(i, i + SEND_BATCH_LIMIT).map((s) => ({
        body: {
          kind: "deliver",
          subscriptionId: s.id,
          accountId: s.accountId,
          payload,
        } satisfies DeliverMessage,
      }));
      // The person's own notify queue (issue 15): a wave's deliveries spread over the K queues too.
      await notifyQueueFor(env, body.personId).sendBatch(messages);
    }
    m.ack();
  } catch (err) {
    // D1 or the queue is unavailable: nothing (or, past 100 subscriptions, only a first part) was
    // queued, so a retry of the whole fan-out is right.
    log("warn", "notify fan-out failed", { personId: body.personId, error: String(err) });
    m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
  }
}

async function deliver(env: PushEnv, messages: [Message<unknown>, DeliverMessage][]): Promise<void> {
  const subject = checkVapidSubject(env.VAPID_SUBJECT);
  if (!subject.ok) {
    // A deployment without an operator contact: every push service would refuse every message.
    // Say so once per batch and keep the messages (retried, then dead letters that can be replayed).
    log("error", `push not sent: ${subject.message}`, { messages: messages.length });
    for (const [m] of messages) m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    return;
  }
  let subs: Awaited<ReturnType<typeof subscriptionsByIds>>;
  try {
    subs = await subscriptionsByIds(
      env,
      messages.map(([, b]) => ({ id: b.subscriptionId, accountId: b.accountId })),
    );
  } catch (err) {
    log("warn", "push subscriptions unreadable", { error: String(err) });
    for (const [m] of messages) m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    return;
  }
  const vapid = vapidFromEnv(env);
  const { devMode } = config(env);
  const binding = env.PUSH_FETCHER;
  const fetcher: typeof fetch | undefined = binding ? (input, init) => binding.fetch(input, init) : undefined;
  const outcomes: DeliveryOutcomes = { delivered: [], failed: [], gone: [] };

  await eachLimited(messages, CONCURRENT_PUSHES, async ([m, body]) => {
    const personId = body.payload.personId;
    const sub = subs.get(body.subscriptionId);
    if (!sub) {
      // Unsubscribed, pruned, or moved to another account (which renews the id) since the fan-out.
      m.ack();
      return;
    }
    const attempt = m.attempts - 1;
    if (attempt > 0 && (await superseded(env, body.payload))) {
      // A retry must not land after a newer change and leave the phone showing a stale colour.
      log("info", "push superseded by a newer colour, dropped", { personId, subscriptionId: sub.id });
      m.ack();
      return;
    }
    const isColor = "color" in body.payload;
    const urgency: PushUrgency = isColor ? "high" : "normal";
    try {
      const outcome = await sendPush(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        body.payload,
        vapid,
        {
          attempt,
          devMode,
          fetcher,
          urgency,
          // The push service keeps only the newest undelivered colour of a person per subscription.
          topic: isColor ? await colorTopic(sub.id, personId) : undefined,
        },
      );
      switch (outcome.kind) {
        case "delivered":
          outcomes.delivered.push(sub);
          m.ack();
          break;
        case "gone":
          outcomes.gone.push(sub);
          m.ack();
          break;
        case "retry":
          outcomes.failed.push(sub);
          m.retry({ delaySeconds: Math.min(outcome.afterSeconds, MAX_RETRY_DELAY_SECONDS) });
          break;
        case "rejected":
          // 400/401/403/413…: the same message would be refused again.
          outcomes.failed.push(sub);
          log("warn", "push rejected", { personId, subscriptionId: sub.id, status: outcome.status });
          m.ack();
          break;
      }
    } catch (err) {
      // Our own error (bad stored keys, VAPID secrets, a payload bug): retrying cannot help.
      outcomes.failed.push(sub);
      log("error", "push not sent", { personId, subscriptionId: sub.id, error: String(err) });
      m.ack();
    }
  });

  try {
    await recordOutcomes(env, outcomes, new Date().toISOString());
  } catch (err) {
    // The pushes went out; only bookkeeping is lost (a gone subscription is pruned at its next 410).
    log("warn", "push outcomes not recorded", { error: String(err) });
  }
}

/** True when the person's colour is no longer the one this (retried) message announces. */
async function superseded(env: Env, payload: PushPayload): Promise<boolean> {
  if (!("color" in payload)) return false;
  try {
    const now = await env.PERSON.getByName(payload.personId).summary();
    return now !== null && now.color !== payload.color;
  } catch {
    return false;
  }
}

/**
 * The Topic header is visible to the push service, so it must not be the personId (which would link
 * one person's subscriptions across accounts there); a digest per subscription and person is enough
 * for replacement, which works within one subscription.
 */
async function colorTopic(subscriptionId: string, personId: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${subscriptionId}:${personId}`),
  );
  return encodeBase64url(new Uint8Array(digest).subarray(0, 24));
}

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
