import { consumeLabResultsQueue } from "../labs/intake-consumer";
import { log } from "../lib/log";
import { consumeNotifications } from "../push/notify-consumer";
import { consumeExposure } from "../risk-areas/fanout";
import { consumeDeadLetters } from "./dead-letters";
import { consumeIntake } from "./intake";

/**
 * Queue consumers, one module per queue. Each is idempotent: a message may arrive more than once
 * and in any order (Queues are at-least-once).
 */
export type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Queue name (as in wrangler.toml) → its consumer. */
const consumers: Record<string, Consumer> = {
  "healthpass-lab-results": consumeLabResultsQueue,
  "healthpass-intake": consumeIntake,
  "healthpass-exposure": consumeExposure,
  "healthpass-notify": consumeNotifications,
  "healthpass-dead-letters": consumeDeadLetters,
};

export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  // The K notify queues (healthpass-notify, healthpass-notify-1, ...) share one consumer.
  const consumer =
    consumers[batch.queue] ??
    (/^healthpass-notify-\d+$/.test(batch.queue) ? consumeNotifications : undefined);
  if (!consumer) {
    log("error", "no consumer for queue", { queue: batch.queue });
    batch.retryAll();
    return;
  }
  await consumer(batch, env, ctx);
}
