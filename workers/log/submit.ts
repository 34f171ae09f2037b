// Authority actions into the public log, durably: the action has been taken and audited when this
// runs, so its entry must not be lost to a failed call. First the submitter's pool (which stores it
// and forwards it within about a second); if that call fails, a queue message carries the same items
// (same idempotency keys) and its consumer retries until the pool has them, then the dead letters
// keep them for replay.

import { z } from "zod";
import { logPool, submitterOf } from "../../durable/log-client";
import type { LogAppend } from "../../durable/log-sequencer";
import { log } from "../lib/log";

const LogAppendMessage = z.object({
  type: z.literal("log_append"),
  items: z.array(z.object({ key: z.string().min(1), entry: z.string().min(1) })).min(1),
});
export type LogAppendMessage = z.infer<typeof LogAppendMessage>;

/** Where the items went: the pool (stored there), the queue (to be retried), or nowhere (both failed). */
export type SubmitOutcome = "pool" | "queued" | "failed";

export async function submitToLog(env: Env, items: LogAppend[]): Promise<SubmitOutcome> {
  if (items.length === 0) return "pool";
  try {
    await logPool(env, submitterOf(items[0]!.key)).submit(items);
    return "pool";
  } catch (err) {
    log("warn", "log submit failed; queued for retry", { keys: items.length, error: String(err) });
  }
  try {
    const body: LogAppendMessage = { type: "log_append", items };
    await env.INTAKE_QUEUE.send(body);
    return "queued";
  } catch (err) {
    // Both the object and the queue are down: the action stands (audited); the entry is missing from
    // the public log until the request is retried (same key), and this line says which one.
    log("error", "log submit lost", { keys: items.map((i) => i.key.split(":")[0]), error: String(err) });
    return "failed";
  }
}

/** Intake consumer for `log_append`: each message's items into their pool; a failed call retries. */
export async function consumeLogAppends(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  await Promise.all(
    messages.map(async (m) => {
      const parsed = LogAppendMessage.safeParse(m.body);
      if (!parsed.success) {
        log("error", "log_append message unreadable", { id: m.id });
        m.retry();
        return;
      }
      try {
        await logPool(env, submitterOf(parsed.data.items[0]!.key)).submit(parsed.data.items);
        m.ack();
      } catch (err) {
        log("warn", "log_append delivery failed; retried", { id: m.id, error: String(err) });
        m.retry();
      }
    }),
  );
}
