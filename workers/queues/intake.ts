import { consumeRulePreview } from "../authority/rule-preview-pages";
import { consumeRuleSetFanout } from "../authority/rule-set-fanout";
import { consumeImports } from "../imports/consumer";
import { consumeLabResults } from "../labs/intake-consumer";
import { consumeLogAppends } from "../log/submit";
import { consumeVaccinations } from "../vaccinations/consumer";
import type { IntakeMessageType } from "./intake-types";

/**
 * The intake queue carries several kinds of bulk input; each message names its kind in `type` and
 * is handled by that area's consumer. Handlers must be idempotent (at-least-once delivery) and ack
 * or retry each message themselves.
 */
export type IntakeHandler = (messages: readonly Message<unknown>[], env: Env) => Promise<void>;

/** Message `type` → handler. Each area adds its own line, and its type to INTAKE_MESSAGE_TYPES. */
const handlers: Record<IntakeMessageType, IntakeHandler> = {
  lab_results: consumeLabResults,
  vaccinations: consumeVaccinations,
  imports: consumeImports,
  rule_set: consumeRuleSetFanout,
  rule_set_pages: consumeRuleSetFanout,
  rule_set_preview: consumeRulePreview,
  log_append: consumeLogAppends,
};

export async function consumeIntake(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const byType = new Map<string, Message<unknown>[]>();
  for (const m of batch.messages) {
    const type = (m.body as { type?: unknown } | null)?.type;
    const key = typeof type === "string" && Object.hasOwn(handlers, type) ? type : "";
    byType.set(key, [...(byType.get(key) ?? []), m]);
  }
  for (const [type, messages] of byType) {
    const handler = handlers[type as IntakeMessageType] as IntakeHandler | undefined;
    if (!handler) {
      // Not a message any handler understands: retrying cannot help, so let it go to the dead letters.
      for (const m of messages) m.retry();
      continue;
    }
    await handler(messages, env);
  }
}
