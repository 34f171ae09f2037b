import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { LogSequencer } from "../../durable/log-sequencer";
import { LOG_SEQUENCER_MIGRATIONS } from "../../durable/log-storage";
import { migrateStorage, storageVersion } from "../../durable/storage-migrations";

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `upgrade:${i}`,
    entry: JSON.stringify({ i, tag: "upgrade", type: "test", v: 1 }),
  }));

describe("the log sequencer's storage migrations", () => {
  it("a sequencer written under migration 1 opens under migration 2 with its tree and keys intact", async () => {
    // Its own object (not the service's log), so its tree starts empty.
    const stub = env.LOG_SEQUENCER.getByName("storage-upgrade-test");
    const before = await runInDurableObject(stub, async (seq: LogSequencer, state) => {
      for (const t of ["pending", "seen", "kv", "gc", "_migrations"])
        state.storage.sql.exec(`DROP TABLE IF EXISTS ${t}`);
      migrateStorage(state.storage, LOG_SEQUENCER_MIGRATIONS.slice(0, 1));
      const indexes = (await seq.append(entries(200))).map((r) => r.index);
      return { indexes, version: storageVersion(state.storage) };
    });
    expect(before.version).toBe(1);
    expect(before.indexes).toEqual(Array.from({ length: 200 }, (_, i) => i));

    await runInDurableObject(stub, async (seq: LogSequencer, state) => {
      // What the constructor does on the next start.
      expect(migrateStorage(state.storage, LOG_SEQUENCER_MIGRATIONS)).toEqual([2]);
      expect(await seq.indexes(entries(200).map((e) => e.key))).toEqual(before.indexes);
      // Appends continue the same tree; the tile they fill is scheduled for clean-up (migration 2's table).
      const more = (await seq.append(entries(300).slice(200))).map((r) => r.index);
      expect(more).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
      expect(await seq.stats()).toMatchObject({ size: 300, pending: 0, gc: 2 });
    });
  });
});
