// Notifications spread over K queues by person (issue 15): one queue takes ~5,000 messages/s, so a
// Chengdu-sized event (~33 M messages) takes K times less time. The K producer bindings are
// NOTIFY_QUEUE, NOTIFY_QUEUE_1, ..., NOTIFY_QUEUE_{K-1} (wrangler.toml; NOTIFY_QUEUES says K and
// config() checks it matches), each consumed by the same idempotent notify consumer. A person's
// messages always take the same queue, so one person's notifications are not spread out of order
// across queues more than one queue already reorders them.

/** The bound notify queues, in index order (stops at the first gap). */
export function notifyQueues(env: object): Queue<unknown>[] {
  const e = env as Record<string, Queue<unknown> | undefined>;
  const out: Queue<unknown>[] = [];
  for (let i = 0; ; i++) {
    const q = e[i === 0 ? "NOTIFY_QUEUE" : `NOTIFY_QUEUE_${i}`];
    if (!q) return out;
    out.push(q);
  }
}

/** FNV-1a over the person id, mod k: uniform enough for HMAC-derived ids, stable across isolates. */
export function notifyQueueIndex(personId: string, k: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) {
    h ^= personId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % k;
}

/** Queues accept at most 100 messages a sendBatch. */
const SEND_BATCH_LIMIT = 100;

/** Sends each body to its person's queue (in batches); throws if any send fails (callers retry all: consumers are idempotent). */
export async function sendToNotifyQueues(
  env: object,
  bodies: readonly { personId: string }[],
): Promise<void> {
  const queues = notifyQueues(env);
  if (queues.length === 0) throw new Error("no NOTIFY_QUEUE binding");
  const byQueue = new Map<number, { personId: string }[]>();
  for (const b of bodies) {
    const i = notifyQueueIndex(b.personId, queues.length);
    byQueue.set(i, [...(byQueue.get(i) ?? []), b]);
  }
  await Promise.all(
    [...byQueue].map(async ([i, list]) => {
      for (let s = 0; s < list.length; s += SEND_BATCH_LIMIT) {
        await queues[i]!.sendBatch(list.slice(s, s + SEND_BATCH_LIMIT).map((body) => ({ body })));
      }
    }),
  );
}

/** The queue a person's notifications go to. */
export function notifyQueueFor(env: object, personId: string): Queue<unknown> {
  const queues = notifyQueues(env);
  if (queues.length === 0) throw new Error("no NOTIFY_QUEUE binding");
  return queues[notifyQueueIndex(personId, queues.length)]!;
}
