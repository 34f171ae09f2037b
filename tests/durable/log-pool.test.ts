import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { logPool, logSequencer } from "../../durable/log-client";
import { logSettings } from "../../durable/log-settings";

const entry = (tag: string, i: number) => JSON.stringify({ i, tag, type: "test", v: 1 });

describe("the public log's fan-in pools", () => {
  it("turn 2,000 concurrent appends from 2,000 submitters into a few sequencer calls, each entry indexed once", async () => {
    const N = 2_000;
    const before = await logSequencer(env).stats();
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        logPool(env, `color:fanin-${i}`).append([{ key: `color:fanin-${i}:1`, entry: entry("fanin", i) }]),
      ),
    );
    const indexes = results.map((r) => r[0]!.index);
    expect(indexes.every((i) => i !== null)).toBe(true);
    expect(new Set(indexes).size).toBe(N);
    const after = await logSequencer(env).stats();
    expect(after.size - before.size).toBe(N);
    expect(after.entries - before.entries).toBe(N);
    // One call per pool per 100 ms batch, never one per entry.
    expect(after.calls - before.calls).toBeLessThanOrEqual(N / 5);
    expect(logSettings(env).pools).toBeGreaterThan(1);

    // Re-delivered (an outbox retry), through the pools again: the first indexes, nothing appended.
    const again = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        logPool(env, `color:fanin-${i}`).append([{ key: `color:fanin-${i}:1`, entry: entry("fanin", i) }]),
      ),
    );
    expect(again.map((r) => r[0]!.index)).toEqual(indexes.slice(0, 50));
    expect((await logSequencer(env).stats()).size).toBe(after.size);
  });

  it("deduplicates a key sent twice into one batch", async () => {
    const before = (await logSequencer(env).stats()).size;
    const pool = logPool(env, "color:dup");
    const item = { key: "color:dup:1", entry: entry("dup", 1) };
    const [a, b] = await Promise.all([pool.append([item]), pool.append([item, item])]);
    expect(a[0]!.index).not.toBeNull();
    expect(b.map((r) => r.index)).toEqual([a[0]!.index, a[0]!.index]);
    expect((await logSequencer(env).stats()).size).toBe(before + 1);
  });

  it("keeps submitted entries until the sequencer has them, then they are sequenced once", async () => {
    const pool = logPool(env, "rule_set");
    const items = [
      { key: "rule_set:pool-test-1", entry: entry("submit", 1) },
      { key: "rule_set:pool-test-2", entry: entry("submit", 2) },
    ];
    await pool.submit(items);
    await pool.submit(items); // a retried request: the same keys
    expect(await pool.pending()).toBe(2);
    await runDurableObjectAlarm(pool);
    expect(await pool.pending()).toBe(0);
    await runDurableObjectAlarm(logSequencer(env));
    const [i1, i2] = await logSequencer(env).indexes(items.map((i) => i.key));
    expect(i1).not.toBeNull();
    expect(i2).toBe(i1! + 1);
  });
});
