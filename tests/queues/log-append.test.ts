import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { logSequencer } from "../../durable/log-client";
import worker from "../../workers/index";
import { submitToLog } from "../../workers/log/submit";
import { env } from "../helpers/api";

/**
 * The pools are unreachable: their binding is pointed at another class, so every call to a pool fails
 * in the runtime exactly as a call to an object that cannot be reached does (no stand-in object).
 */
const poolsDown = (): Env => ({ ...env, LOG_POOL: env.PERSON as unknown as Env["LOG_POOL"] });

const item = (key: string) => ({
  key,
  entry: JSON.stringify({ at: new Date().toISOString(), key, type: "test", v: 1 }),
});

/** The key's index once sequenced (as `{index}`, so that index 0 counts as found in `vi.waitUntil`). */
async function sequenced(key: string): Promise<{ index: number } | undefined> {
  await runDurableObjectAlarm(logSequencer(env));
  const [index] = await logSequencer(env).indexes([key]);
  return index === null || index === undefined ? undefined : { index };
}

describe("authority entries reach the log even when the first attempt fails", () => {
  it("a failed submit goes to the intake queue, whose consumer puts it in the log", async () => {
    const it1 = item("authority_event:queued-person:event-1");
    expect(await submitToLog(poolsDown(), [it1])).toBe("queued");
    // The real intake queue and consumer (with the pools back) deliver it.
    const found = await vi.waitUntil(() => sequenced(it1.key), { timeout: 20_000, interval: 250 });
    expect(found.index).toBeGreaterThanOrEqual(0);
  });

  it("a delivery that fails is retried, and the retry appends it once", async () => {
    const it2 = item("risk_area:retried-area");
    const body = { type: "log_append", items: [it2] };
    const deliver = async (e: Env, attempts: number) => {
      const batch = createMessageBatch("healthpass-intake", [
        { id: `log-${attempts}`, timestamp: new Date(), attempts, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, e, ctx);
      return getQueueResult(batch, ctx);
    };
    const first = await deliver(poolsDown(), 1);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["log-1"]);
    expect(first.explicitAcks).toEqual([]);
    expect(await sequenced(it2.key)).toBeUndefined();

    const second = await deliver(env, 2);
    expect(second.explicitAcks).toEqual(["log-2"]);
    const index = await vi.waitUntil(() => sequenced(it2.key), { timeout: 10_000, interval: 250 });

    // Delivered once more (at-least-once): the same index, nothing new.
    const size = (await logSequencer(env).stats()).size;
    expect((await deliver(env, 3)).explicitAcks).toEqual(["log-3"]);
    expect(await sequenced(it2.key)).toEqual(index);
    expect((await logSequencer(env).stats()).size).toBe(size);
  });

  it("an unreadable log_append message is not acknowledged (it ends in the dead letters)", async () => {
    const batch = createMessageBatch("healthpass-intake", [
      { id: "bad", timestamp: new Date(), attempts: 1, body: { type: "log_append", items: [] } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).retryMessages.map((m) => m.msgId)).toEqual(["bad"]);
  });
});
