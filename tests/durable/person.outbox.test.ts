import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { flushOutbox, type OutboxItem } from "../../durable/outbox";
import type { PersonObject } from "../../durable/person";
import { personShard } from "../helpers/shards";
import { event, freshPerson } from "./helpers";

const changes = (personId: string) =>
  personShard(personId)
    .prepare(
      "SELECT version, from_color, to_color, rules, rule_set_version FROM color_changes WHERE person_id = ? ORDER BY version",
    )
    .bind(personId)
    .all<{
      version: number;
      from_color: string | null;
      to_color: string;
      rules: string;
      rule_set_version: string;
    }>();
const snapshot = (personId: string) =>
  personShard(personId)
    .prepare("SELECT color, version, district_code FROM color_snapshots WHERE person_id = ?")
    .bind(personId)
    .first();
const outboxSize = (stub: DurableObjectStub<PersonObject>) =>
  runInDurableObject(
    stub,
    (_o, state) => state.storage.sql.exec("SELECT count(*) AS n FROM outbox").one().n as number,
  );

describe("the outbox writes each change to D1", () => {
  it("keeps the row until the alarm flushes it; the transition is visible before that", async () => {
    const { personId, stub } = await freshPerson("510104");
    await runDurableObjectAlarm(stub); // flush init's snapshot
    expect(await outboxSize(stub)).toBe(0);

    await stub.addFacts([event(`ob-${personId}`, "confirmed", Date.now())]);
    // The object answers red at once, whatever D1 has: the outbox has not been flushed yet.
    expect((await stub.summary())?.color).toBe("red");
    expect(await outboxSize(stub)).toBeGreaterThan(0);
    expect(await snapshot(personId)).toMatchObject({ color: "green", version: 1 });

    await runDurableObjectAlarm(stub);
    expect(await outboxSize(stub)).toBe(0);
    expect(await snapshot(personId)).toMatchObject({ color: "red", version: 2, district_code: "510104" });
    expect((await changes(personId)).results).toEqual([
      {
        version: 2,
        from_color: "green",
        to_color: "red",
        rules: JSON.stringify([{ rule: "confirmed", ruleVersion: "1" }]),
        rule_set_version: "2026.1",
      },
    ]);
  });

  it("a replayed flush (the same items again) adds no duplicate change and never moves a snapshot back", async () => {
    const { personId, stub } = await freshPerson();
    await stub.addFacts([event(`rp-${personId}`, "confirmed", Date.now())]);
    const items = await runInDurableObject(stub, (_o, state) =>
      state.storage.sql
        .exec<{ item: string }>("SELECT item FROM outbox ORDER BY id")
        .toArray()
        .map((r) => r.item),
    );
    await runDurableObjectAlarm(stub);
    // Deliver the very same outbox items again, as a retried flush after a lost acknowledgement would.
    await runInDurableObject(stub, (_o, state) => {
      for (const item of items) state.storage.sql.exec("INSERT INTO outbox (item) VALUES (?)", item);
    });
    await runDurableObjectAlarm(stub);
    expect((await changes(personId)).results.map((r) => r.version)).toEqual([2]);
    expect(await snapshot(personId)).toMatchObject({ color: "red", version: 2 });
  });

  it("tells the person without waiting for D1: a shard that has not answered yet holds back only the snapshot", async () => {
    const { personId, stub } = await freshPerson();
    await runDurableObjectAlarm(stub);
    await stub.addFacts([event(`nd-${personId}`, "confirmed", Date.now())]);
    const items = await runInDurableObject(stub, (_o, state) =>
      state.storage.sql
        .exec<{ id: number; item: string }>("SELECT id, item FROM outbox ORDER BY id")
        .toArray()
        .map((r) => ({ id: r.id, item: JSON.parse(r.item) as OutboxItem })),
    );
    // The person's shard, with its batches held until the test lets them through.
    const real = personShard(personId);
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const slowShard = {
      prepare: (sql: string) => real.prepare(sql),
      batch: async (statements: D1PreparedStatement[]) => {
        await held;
        return real.batch(statements);
      },
    };
    const sent: unknown[] = [];
    const queue = {
      sendBatch: async (messages: { body: unknown }[]) => {
        sent.push(...messages.map((m) => m.body));
      },
    };
    const slowEnv = {
      ...env,
      PERSON_SHARDS: "1",
      PERSON_SHARD_0: slowShard,
      NOTIFY_QUEUE: queue,
      NOTIFY_QUEUE_1: queue,
    } as unknown as Env;

    const flushing = flushOutbox(slowEnv, items);
    await vi.waitUntil(() => sent.length > 0, { timeout: 5_000, interval: 20 });
    expect(sent).toEqual([expect.objectContaining({ kind: "notify", personId, color: "red" })]);
    expect(await snapshot(personId)).toMatchObject({ color: "green", version: 1 });

    release();
    const delivered = new Set(
      items.filter((i) => ["snapshot", "revoke_paper", "notify"].includes(i.item.kind)).map((i) => i.id),
    );
    expect(new Set(await flushing)).toEqual(delivered);
    expect(await snapshot(personId)).toMatchObject({ color: "red", version: 2 });
  });
});
