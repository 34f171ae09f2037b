import { drizzle } from "drizzle-orm/d1";
import { deadLetters } from "../../schema/d1/dead-letters";
import { log } from "../lib/log";
import { INTAKE_MESSAGE_TYPES } from "./intake-types";

/** Producer bindings a dead letter can be replayed to, by origin queue name. */
export const REPLAY_TARGETS = {
  "healthpass-lab-results": "LAB_RESULTS_QUEUE",
  "healthpass-intake": "INTAKE_QUEUE",
  "healthpass-exposure": "EXPOSURE_QUEUE",
  "healthpass-notify": "NOTIFY_QUEUE",
} as const satisfies Record<string, keyof Env>;

export type OriginQueue = keyof typeof REPLAY_TARGETS;

const INTAKE_TYPES = new Set<string>(INTAKE_MESSAGE_TYPES);
const NOTIFY_KINDS = new Set(["notify", "notice"]);

/**
 * A dead-letter queue receives messages from every queue without saying which; the body's own
 * discriminator tells: lab results and intake messages have a `type`, notifications a `kind`,
 * exposure pages a risk area. Unknown shapes are kept with a null origin (listed, not replayable).
 * Lab results go back to their own queue, also those that were sent on the intake queue before it
 * existed: the two apply them alike.
 */
export function originOf(body: unknown): OriginQueue | null {
  if (!body || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  if (b.type === "lab_results") return "healthpass-lab-results";
  if (typeof b.type === "string" && INTAKE_TYPES.has(b.type)) return "healthpass-intake";
  if (typeof b.kind === "string" && NOTIFY_KINDS.has(b.kind)) return "healthpass-notify";
  if (typeof b.riskAreaId === "string" || b.type === "exposure") return "healthpass-exposure";
  return null;
}

function toJson(body: unknown): string {
  try {
    return JSON.stringify(body) ?? "null";
  } catch {
    // A body JSON cannot express (e.g. bytes sent by a foreign producer) is kept as text.
    return JSON.stringify(String(body));
  }
}

export interface DeadLetter {
  id: string;
  body: unknown;
  attempts: number;
  originQueue?: OriginQueue | null;
  reason?: string | null;
}

/** Idempotent on the message id: a dead letter delivered twice is stored once. */
export async function storeDeadLetters(env: Env, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const d = drizzle(env.DB);
  const receivedAt = new Date().toISOString();
  const stmts = letters.map((l) =>
    d
      .insert(deadLetters)
      .values({
        id: l.id,
        originQueue: l.originQueue === undefined ? originOf(l.body) : l.originQueue,
        body: toJson(l.body),
        attempts: l.attempts,
        reason: l.reason ?? null,
        receivedAt,
      })
      .onConflictDoNothing(),
  );
  await d.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
}

/** The consumer of `healthpass-dead-letters`: store everything, so nothing exhausted is lost. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  try {
    await storeDeadLetters(
      env,
      batch.messages.map((m) => ({
        id: m.id,
        body: m.body,
        attempts: m.attempts,
        reason: "retries exhausted",
      })),
    );
    batch.ackAll();
  } catch (err) {
    log("error", "dead letters not stored", { error: String(err) });
    batch.retryAll({ delaySeconds: 30 });
  }
}
