// The `healthpass-notify` queue: the Person object's outbox puts `notify` (a colour change) and
// `notice` messages here. The consumer asks the person's object where to push (the subscriptions of
// the accounts managing the person, kept there: no D1 read) and pushes with Web Push: directly when
// there are few (≤ DIRECT_PUSHES), else through one `deliver` message per subscription on the same
// queue, so a large fan-out spreads over many consumer invocations.
//
// Retries stay per delivery: a 429 or 5xx of one push service retries only what failed. The object
// records which subscriptions a change was pushed to (`push_sent`, keyed by a digest of the payload),
// so a redelivered or retried message skips them: a direct fan-out retries as a whole and pushes only
// the rest; a `deliver` message checks before sending. What remains: a push sent whose record did not
// reach the object (the invocation died in between) is sent again on redelivery, and two copies of
// one message consumed at the same moment may both push. After the retry limit a message lands in
// the dead letters like any other.
import { z } from "@hono/zod-openapi";
import type { PushTarget } from "../../durable/push-targets";
import { COLORS } from "../../schema/vocabulary";
import { ColorChangePushSchema, NoticePushSchema, type PushPayload } from "../../schema/wire/push";
import { config } from "../config";
import { encodeBase64url } from "../lib/base64url";
import { mapBounded } from "../lib/bounded";
import { log } from "../lib/log";
import { notifyQueueFor } from "../lib/notify-queues";
import { backoffSeconds, type PushOutcome } from "./outcome";
import { propagate } from "./propagate";
import { countFailures, deleteSubscriptions } from "./repo";
import { MAX_PAYLOAD_BYTES, type PushUrgency, sendPush } from "./send";
import { checkVapidSubject, type VapidKeys, vapidFromEnv } from "./vapid";

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

/**
 * One push to one subscription of a large fan-out. The id, not the endpoint or keys (a capability
 * URL to a device, which would otherwise sit in queues and dead letters): the person's object
 * (`payload.personId`) holds those.
 */
const DeliverMessage = z.object({
  kind: z.literal("deliver"),
  subscriptionId: z.string().min(1).max(64),
  /** The account holding it (absent in messages queued before it was added). */
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
/**
 * Up to this many subscriptions, the fan-out pushes itself (one queue hop): a person with a phone or
 * two and a few relatives. Beyond, one `deliver` message each (two hops), so one slow push service
 * cannot hold a large fan-out's invocation for long.
 */
export const DIRECT_PUSHES = 8;

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
  await Promise.all(fanOuts.map(([m, body]) => fanOut(env as PushEnv, m, body)));
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

/** Which change a payload announces: the same on every redelivery and retry of its message. */
export async function changeKeyOf(payload: PushPayload): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(payload)));
  return encodeBase64url(new Uint8Array(digest).subarray(0, 16));
}

/** A colour change goes to everyone managing the person; a notice ("another account asks to manage
 * your code") is for the person's own logins, not for the relatives. */
const audienceOf = (payload: PushPayload) => ("color" in payload ? "all" : "self") as "all" | "self";

/** A retried colour that is no longer the person's must not land after a newer one. */
const stale = (payload: PushPayload, color: string | null) =>
  "color" in payload && color !== null && color !== payload.color;

async function fanOut(env: PushEnv, m: Message<unknown>, body: FanOutMessage): Promise<void> {
  const payload = payloadFor(body);
  const bytes = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
  if (bytes > MAX_PAYLOAD_BYTES) {
    // sendPush would refuse every delivery of it; a bug on our side, so say so once and drop it.
    log("error", "push payload too large, not sent", { personId: body.personId, kind: body.kind, bytes });
    m.ack();
    return;
  }
  const changeKey = await changeKeyOf(payload);
  const stub = env.PERSON.getByName(body.personId);
  let found: { color: string | null; targets: PushTarget[] };
  try {
    // The person's object holds who manages them now and their subscriptions, less those already pushed.
    found = await stub.pushTargets({ audience: audienceOf(payload), changeKey });
  } catch (err) {
    log("warn", "notify fan-out failed", { personId: body.personId, error: String(err) });
    m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    return;
  }
  const { color, targets } = found;
  if (targets.length === 0 || (m.attempts > 1 && stale(payload, color))) {
    m.ack();
    return;
  }
  if (targets.length > DIRECT_PUSHES) {
    try {
      for (let i = 0; i < targets.length; i += SEND_BATCH_LIMIT) {
        const messages = targets.slice(i, i + SEND_BATCH_LIMIT).map((t) => ({
          body: {
            kind: "deliver",
            subscriptionId: t.id,
            accountId: t.accountId,
            payload,
          } satisfies DeliverMessage,
        }));
        // The person's own notify queue (issue 15): a wave's deliveries spread over the K queues too.
        await notifyQueueFor(env, body.personId).sendBatch(messages);
      }
      m.ack();
    } catch (err) {
      // Past 100 subscriptions only a first part may be queued; the deliveries skip what was pushed.
      log("warn", "notify fan-out failed", { personId: body.personId, error: String(err) });
      m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    }
    return;
  }
  const sender = senderFor(env);
  if (!sender) {
    m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    return;
  }
  const results = await pushAll(
    sender,
    targets.map((target) => ({ target, payload, attempt: m.attempts - 1 })),
  );
  const recorded = await settle(env, body.personId, changeKey, results);
  const retryAfter = results.flatMap((r) => (r.outcome.kind === "retry" ? [r.outcome.afterSeconds] : []));
  // A retry pushes only what was not recorded as done: the subscriptions that failed, or all of
  // them if the record itself failed (then those already pushed get it twice).
  if (retryAfter.length > 0)
    m.retry({ delaySeconds: Math.min(Math.max(...retryAfter), MAX_RETRY_DELAY_SECONDS) });
  else {
    if (!recorded) log("warn", "pushes sent but not recorded", { personId: body.personId });
    m.ack();
  }
}

async function deliver(env: PushEnv, messages: [Message<unknown>, DeliverMessage][]): Promise<void> {
  const sender = senderFor(env);
  if (!sender) {
    for (const [m] of messages) m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
    return;
  }
  // One object call per person and change: where to push, less what was already pushed.
  const groups = new Map<
    string,
    { personId: string; payload: PushPayload; items: [Message<unknown>, DeliverMessage][] }
  >();
  for (const item of messages) {
    const payload = item[1].payload;
    const key = `${payload.personId}\n${await changeKeyOf(payload)}`;
    const g = groups.get(key) ?? { personId: payload.personId, payload, items: [] };
    g.items.push(item);
    groups.set(key, g);
  }
  await Promise.all(
    [...groups].map(async ([key, g]) => {
      const changeKey = key.slice(key.indexOf("\n") + 1);
      let found: { color: string | null; targets: PushTarget[] };
      try {
        found = await env.PERSON.getByName(g.personId).pushTargets({
          audience: audienceOf(g.payload),
          changeKey,
          ids: g.items.map(([, b]) => b.subscriptionId),
        });
      } catch (err) {
        log("warn", "push subscriptions unreadable", { personId: g.personId, error: String(err) });
        for (const [m] of g.items) m.retry({ delaySeconds: backoffSeconds(m.attempts - 1) });
        return;
      }
      const byId = new Map(found.targets.map((t) => [t.id, t]));
      const work: { m: Message<unknown>; target: PushTarget; payload: PushPayload; attempt: number }[] = [];
      for (const [m, b] of g.items) {
        const target = byId.get(b.subscriptionId);
        // Unsubscribed, pruned, its account no longer a manager, or already pushed this change.
        if (!target) m.ack();
        else if (m.attempts > 1 && stale(b.payload, found.color)) {
          log("info", "push superseded by a newer colour, dropped", {
            personId: g.personId,
            subscriptionId: target.id,
          });
          m.ack();
        } else work.push({ m, target, payload: b.payload, attempt: m.attempts - 1 });
      }
      const results = await pushAll(sender, work);
      await settle(env, g.personId, changeKey, results);
      for (const [i, r] of results.entries()) {
        const m = work[i]!.m;
        if (r.outcome.kind === "retry")
          m.retry({ delaySeconds: Math.min(r.outcome.afterSeconds, MAX_RETRY_DELAY_SECONDS) });
        else m.ack();
      }
    }),
  );
}

interface Sender {
  vapid: VapidKeys;
  devMode: boolean;
  fetcher: typeof fetch | undefined;
}

/** What every push needs; null (said once) when the deployment has no operator contact. */
function senderFor(env: PushEnv): Sender | null {
  const subject = checkVapidSubject(env.VAPID_SUBJECT);
  if (!subject.ok) {
    // Every push service would refuse every message: keep them (retried, then dead letters that can be replayed).
    log("error", `push not sent: ${subject.message}`, {});
    return null;
  }
  const binding = env.PUSH_FETCHER;
  return {
    vapid: vapidFromEnv(env),
    devMode: config(env).devMode,
    fetcher: binding ? (input, init) => binding.fetch(input, init) : undefined,
  };
}

/** A push's outcome; `error`: our own fault (bad stored keys, VAPID secrets, a payload bug), not retried. */
type Result = { target: PushTarget; outcome: PushOutcome | { kind: "error" } };

async function pushAll(
  sender: Sender,
  work: readonly { target: PushTarget; payload: PushPayload; attempt: number }[],
): Promise<Result[]> {
  const results: Result[] = new Array(work.length);
  await mapBounded([...work.keys()], CONCURRENT_PUSHES, async (i) => {
    const { target, payload, attempt } = work[i]!;
    const isColor = "color" in payload;
    const urgency: PushUrgency = isColor ? "high" : "normal";
    try {
      const outcome = await sendPush(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        payload,
        sender.vapid,
        {
          attempt,
          devMode: sender.devMode,
          fetcher: sender.fetcher,
          urgency,
          // The push service keeps only the newest undelivered colour of a person per subscription.
          topic: isColor ? await colorTopic(target.id, payload.personId) : undefined,
        },
      );
      if (outcome.kind === "rejected") {
        // 400/401/403/413…: the same message would be refused again.
        log("warn", "push rejected", {
          personId: payload.personId,
          subscriptionId: target.id,
          status: outcome.status,
        });
      }
      results[i] = { target, outcome };
    } catch (err) {
      log("error", "push not sent", {
        personId: payload.personId,
        subscriptionId: target.id,
        error: String(err),
      });
      results[i] = { target, outcome: { kind: "error" } };
    }
  });
  return results;
}

/**
 * Records what the pushes did: in the person's object, what is done for this change (never pushed
 * again) and what is gone; in D1 (only when something failed), gone subscriptions deleted, and removed
 * from every other object holding them, and failure counts for operators. False if the object's
 * record failed.
 */
async function settle(
  env: Env,
  personId: string,
  changeKey: string,
  results: readonly Result[],
): Promise<boolean> {
  if (results.length === 0) return true;
  const done = results.filter((r) => r.outcome.kind !== "retry").map((r) => r.target.id);
  const gone = results.filter((r) => r.outcome.kind === "gone").map((r) => r.target);
  const failed = results
    .filter((r) => ["retry", "rejected", "error"].includes(r.outcome.kind))
    .map((r) => r.target);
  let recorded = true;
  try {
    await env.PERSON.getByName(personId).recordPushes(
      changeKey,
      done,
      gone.map((g) => ({ id: g.id, accountId: g.accountId })),
    );
  } catch (err) {
    recorded = false;
    log("warn", "push outcomes not recorded", { personId, error: String(err) });
  }
  try {
    await Promise.all([
      ...[...new Set(gone.map((g) => g.accountId))].map(async (accountId) => {
        const ids = gone.filter((g) => g.accountId === accountId).map((g) => g.id);
        await deleteSubscriptions(env, accountId, ids);
        await propagate(env, { accountId, upserts: [], removed: ids });
      }),
      failed.length > 0 ? countFailures(env, failed) : null,
    ]);
  } catch (err) {
    // The pushes went out; a gone endpoint not yet removed everywhere is removed at its next 404/410.
    log("warn", "push outcomes not recorded in D1", { error: String(err) });
  }
  return recorded;
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
