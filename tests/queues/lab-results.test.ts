import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../workers/index";
import { backoffSeconds } from "../../workers/labs/backoff";
import { ROWS_PER_STATEMENT, storeResults } from "../../workers/labs/repo";
import { personShardIndex, shardDatabases } from "../../workers/lib/shards";
import { DAY, freshPerson, HOUR, iso } from "../durable/helpers";
import { countEveryShard, execEveryShard, personShard } from "../helpers/shards";

/** The queue the lab route sends to (wrangler.toml). */
const LAB_QUEUE = "healthpass-lab-results";

let seq = 0;
const msg = (body: unknown, attempts = 1) => ({
  id: `msg-${Date.now()}-${++seq}`,
  timestamp: new Date(),
  attempts,
  body,
});

async function deliver(queue: string, messages: ReturnType<typeof msg>[]) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const labResults = (
  labId: string,
  personId: string,
  sampleId: string,
  result: "positive" | "negative",
  sampledAt: number,
) => ({
  type: "lab_results",
  labId,
  results: [
    {
      personId,
      sampleId,
      test: "nucleic_acid",
      result,
      sampledAt: iso(sampledAt),
      reportedAt: iso(sampledAt + HOUR),
    },
  ],
});

async function changeLog(personId: string, stub: Awaited<ReturnType<typeof freshPerson>>["stub"]) {
  await runDurableObjectAlarm(stub); // flush the outbox to D1
  const d1 = await personShard(personId)
    .prepare("SELECT version, from_color, to_color FROM color_changes WHERE person_id = ? ORDER BY version")
    .bind(personId)
    .all<{ version: number; from_color: string; to_color: string }>();
  const status = (await stub.status())!;
  return {
    color: status.state.color,
    version: status.state.version,
    facts: (await stub.facts()).map((f) => f.id).sort(),
    history: [...status.history].reverse().map((h) => `${h.version}:${h.from}->${h.to}`),
    d1: d1.results.map((r) => `${r.version}:${r.from_color}->${r.to_color}`),
  };
}

describe("lab results on their queue", () => {
  it("twice, out of order and with a failure mid-way end like one ordered delivery, with no duplicate transition", async () => {
    const t0 = Date.now() - 3 * DAY;
    const ordered = await freshPerson();
    const chaotic = await freshPerson();
    const neg = (p: string, lab: string) => labResults(lab, p, "S-NEG", "negative", t0);
    const pos = (p: string, lab: string) => labResults(lab, p, "S-POS", "positive", t0 + DAY);

    // One ordered delivery: the earlier negative, then the positive.
    expect((await deliver(LAB_QUEUE, [msg(neg(ordered.personId, "lab_a"))])).explicitAcks).toHaveLength(1);
    expect((await deliver(LAB_QUEUE, [msg(pos(ordered.personId, "lab_a"))])).explicitAcks).toHaveLength(1);

    // The positive first, twice in one batch; then the negative sampled earlier arrives later.
    const p1 = msg(pos(chaotic.personId, "lab_b"));
    const r1 = await deliver(LAB_QUEUE, [p1, msg(pos(chaotic.personId, "lab_b"))]);
    expect(r1.explicitAcks).toHaveLength(2);
    // The negative's D1 insert succeeds, then the consumer "crashes" before telling the object...
    await storeResults(env, [
      {
        personId: chaotic.personId,
        labId: "lab_b",
        sampleId: "S-NEG",
        test: "nucleic_acid",
        result: "negative",
        sampledAt: iso(t0),
        reportedAt: iso(t0 + HOUR),
        receivedAt: iso(Date.now()),
      },
    ]);
    // ...then a delivery fails outright (D1 unavailable: table missing) and asks for a retry with backoff...
    await execEveryShard("ALTER TABLE test_results RENAME TO test_results_away");
    let failed: Awaited<ReturnType<typeof deliver>>;
    const retried = [msg(neg(chaotic.personId, "lab_b"), 2), msg(pos(chaotic.personId, "lab_b"), 1)];
    try {
      failed = await deliver(LAB_QUEUE, retried);
    } finally {
      await execEveryShard("ALTER TABLE test_results_away RENAME TO test_results");
    }
    expect(failed.explicitAcks).toEqual([]);
    // (The test pool does not record retry delays; backoffSeconds is checked on its own below.)
    expect(failed.retryMessages.map((r) => r.msgId).sort()).toEqual(retried.map((m) => m.id).sort());
    // ...and the redelivery (the row is already in D1) still hands the fact to the object.
    const r3 = await deliver(LAB_QUEUE, [msg(neg(chaotic.personId, "lab_b"), 3), p1]);
    expect(r3.explicitAcks).toHaveLength(2);

    const a = await changeLog(ordered.personId, ordered.stub);
    const b = await changeLog(chaotic.personId, chaotic.stub);
    expect(a).toMatchObject({
      color: "red",
      version: 2,
      history: ["1:null->green", "2:green->red"],
      d1: ["2:green->red"],
    });
    expect({ ...b, facts: b.facts.map((f) => f.replace("lab_b", "lab_a")) }).toEqual(a);
    expect(await countEveryShard("SELECT count(*) AS n FROM test_results WHERE lab_id = 'lab_b'")).toBe(2);
  });

  it("applies a resent sample as it was first stored, even if its content changed", async () => {
    const p = await freshPerson();
    await deliver(LAB_QUEUE, [msg(labResults("lab_c", p.personId, "S-1", "positive", Date.now() - DAY))]);
    await deliver(LAB_QUEUE, [msg(labResults("lab_c", p.personId, "S-1", "negative", Date.now() - DAY))]);
    const facts = await p.stub.facts("test_result");
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ result: "positive" });
  });

  it("one batch from two labs with the same sample id: each lab's result stored and applied as sent", async () => {
    const p = await freshPerson();
    const other = await freshPerson();
    const res = await deliver(LAB_QUEUE, [
      msg(labResults("lab_f1", p.personId, "S-SAME", "negative", Date.now() - 2 * DAY)),
      msg(labResults("lab_f2", p.personId, "S-SAME", "positive", Date.now() - DAY)),
      msg(labResults("lab_f2", other.personId, "S-OTHER", "negative", Date.now() - DAY)),
    ]);
    expect(res.explicitAcks).toHaveLength(3);
    const facts = (await p.stub.facts("test_result")).map((f) => `${f.id}=${"result" in f ? f.result : ""}`);
    expect(facts.sort()).toEqual(["result:lab_f1:S-SAME=negative", "result:lab_f2:S-SAME=positive"]);
    expect((await p.stub.summary())?.color).toBe("red");
    expect((await other.stub.facts("test_result")).map((f) => f.id)).toEqual(["result:lab_f2:S-OTHER"]);
    expect((await other.stub.summary())?.color).toBe("green");
  });

  it("a full batch (100 messages of 50) puts more rows on a shard than one statement takes: all stored, every applied person told", async () => {
    const applied = await Promise.all([freshPerson(), freshPerson(), freshPerson()]);
    const lab = `lab_full_${Date.now()}`;
    const at = Date.now() - DAY;
    // Persons who have not applied, all on the first applied person's shard: one shard gets 4,997+ rows.
    const shards = shardDatabases(env).length;
    const home = personShardIndex(applied[0]!.personId, shards);
    const others: string[] = [];
    for (let i = 0; others.length < 2_500 && i < 100_000; i++) {
      // The first five characters choose the shard (workers/lib/shards.ts): they vary here.
      const id = `${String(i).padStart(5, "0")}-not-applied`;
      if (personShardIndex(id, shards) === home) others.push(id);
    }
    const messages = Array.from({ length: 100 }, (_, m) =>
      msg({
        type: "lab_results",
        labId: lab,
        results: Array.from({ length: 50 }, (_, k) => {
          const n = m * 50 + k;
          // The applied persons' positives come last: in the last statement's rows of their shard.
          const person = m === 99 && k < applied.length ? applied[k]! : null;
          return {
            personId: person ? person.personId : others[n % others.length]!,
            sampleId: `S-${n}`,
            test: "nucleic_acid",
            result: person ? "positive" : "negative",
            sampledAt: iso(at),
            reportedAt: iso(at + HOUR),
          };
        }),
      }),
    );
    const count = () => countEveryShard("SELECT COUNT(*) AS n FROM test_results WHERE lab_id = ?", lab);
    expect((await deliver(LAB_QUEUE, messages)).explicitAcks).toHaveLength(100);
    expect(await count()).toBe(5_000);
    const onHome = await personShard(applied[0]!.personId)
      .prepare("SELECT COUNT(*) AS n FROM test_results WHERE lab_id = ?")
      .bind(lab)
      .first<{ n: number }>();
    expect(onHome?.n).toBeGreaterThan(2 * ROWS_PER_STATEMENT);
    for (const p of applied) expect((await p.stub.summary())?.color).toBe("red");
    // Redelivered whole: nothing stored twice, nobody changes again.
    expect((await deliver(LAB_QUEUE, messages)).explicitAcks).toHaveLength(100);
    expect(await count()).toBe(5_000);
    for (const p of applied) expect((await p.stub.status())?.history).toHaveLength(2);
  });

  it("stores a shard's rows in statements of at most ROWS_PER_STATEMENT rows, one transaction, nothing lost", async () => {
    // The real shard, watched: each statement's bound JSON is counted before D1 runs it.
    const real = shardDatabases(env)[0]!;
    const rowsPerInsert: number[] = [];
    let batches = 0;
    const watched = {
      prepare: (sql: string) => {
        const statement = real.prepare(sql);
        return {
          bind: (...args: unknown[]) => {
            if (sql.startsWith("INSERT"))
              rowsPerInsert.push((JSON.parse(String(args[0])) as unknown[]).length);
            return statement.bind(...args);
          },
        };
      },
      batch: (statements: D1PreparedStatement[]) => {
        batches++;
        return real.batch(statements);
      },
    };
    const oneShard = { ...env, PERSON_SHARDS: "1", PERSON_SHARD_0: watched } as unknown as Env;
    const lab = `lab_split_${Date.now()}`;
    const at = Date.now() - DAY;
    const rows = Array.from({ length: 2 * ROWS_PER_STATEMENT + 1 }, (_, n) => ({
      personId: `${String(n).padStart(5, "0")}-not-applied`,
      labId: lab,
      sampleId: `S-${n}`,
      test: "nucleic_acid" as const,
      result: "negative" as const,
      sampledAt: iso(at),
      reportedAt: iso(at + HOUR),
      receivedAt: iso(Date.now()),
    }));
    expect((await storeResults(oneShard, rows)).inserted).toBe(rows.length);
    expect(rowsPerInsert).toEqual([ROWS_PER_STATEMENT, ROWS_PER_STATEMENT, 1]);
    expect(batches).toBe(1);
    const stored = await real
      .prepare("SELECT COUNT(*) AS n FROM test_results WHERE lab_id = ?")
      .bind(lab)
      .first<{ n: number }>();
    expect(stored?.n).toBe(rows.length);
    // Sent again: nothing new.
    expect((await storeResults(oneShard, rows)).inserted).toBe(0);
  });

  it("a result sent on the intake queue before lab results had their own (in flight at deploy) is still applied", async () => {
    const p = await freshPerson();
    const m = msg(labResults("lab_g", p.personId, "S-OLD", "positive", Date.now() - HOUR));
    expect((await deliver("healthpass-intake", [m])).explicitAcks).toEqual([m.id]);
    expect((await p.stub.summary())?.color).toBe("red");
  });

  it("a message of another kind sent to the lab queue is kept as a dead letter, not applied or retried", async () => {
    const m = msg({ type: "rule_set", version: "v-wrong-queue", personIds: ["p"] });
    const res = await deliver(LAB_QUEUE, [m]);
    expect(res.explicitAcks).toEqual([m.id]);
    const dead = await env.DB.prepare("SELECT origin_queue FROM dead_letters WHERE id = ?")
      .bind(m.id)
      .first<{ origin_queue: string }>();
    expect(dead?.origin_queue).toBe(LAB_QUEUE);
  });

  it("a poison message goes to the dead-letter store; the valid messages of its batch are applied", async () => {
    const p = await freshPerson();
    const good = msg(labResults("lab_d", p.personId, "S-GOOD", "positive", Date.now() - HOUR));
    const poison = msg({ type: "lab_results", labId: "lab_d", results: "not a list" });
    const alsoPoison = msg({
      type: "lab_results",
      labId: "lab_d",
      results: [{ personId: p.personId, sampleId: "S-BAD", sampledAt: "yesterday" }],
    });
    const res = await deliver(LAB_QUEUE, [poison, good, alsoPoison]);
    expect(res.explicitAcks.sort()).toEqual([poison.id, good.id, alsoPoison.id].sort());
    expect(res.retryMessages).toEqual([]);
    expect((await p.stub.summary())?.color).toBe("red");
    const dead = await env.DB.prepare(
      "SELECT id, origin_queue, body FROM dead_letters WHERE id IN (?, ?) ORDER BY id",
    )
      .bind(poison.id, alsoPoison.id)
      .all<{ id: string; origin_queue: string; body: string }>();
    expect(dead.results).toHaveLength(2);
    expect(dead.results.every((r) => r.origin_queue === LAB_QUEUE)).toBe(true);
    expect(dead.results.map((r) => JSON.parse(r.body).labId)).toEqual(["lab_d", "lab_d"]);
  });

  it("through the real queue: a poison and a valid message sent together", async () => {
    const p = await freshPerson();
    await env.LAB_RESULTS_QUEUE.sendBatch([
      { body: { type: "lab_results", labId: "lab_e", results: [{ sampleId: "no person id" }] } },
      { body: labResults("lab_e", p.personId, "S-REAL", "positive", Date.now() - HOUR) },
    ]);
    await vi.waitUntil(async () => (await p.stub.summary())?.color === "red", {
      timeout: 15_000,
      interval: 100,
    });
    await vi.waitUntil(
      async () =>
        (
          await env.DB.prepare("SELECT count(*) AS n FROM dead_letters WHERE body LIKE '%lab_e%'").first<{
            n: number;
          }>()
        )?.n === 1,
      { timeout: 15_000, interval: 100 },
    );
  });

  it("a message no handler understands is retried, then kept by the dead-letter consumer", async () => {
    await env.INTAKE_QUEUE.send({ type: "unheard_of", marker: "dlq-roundtrip" });
    await vi.waitUntil(
      async () =>
        (
          await env.DB.prepare(
            "SELECT count(*) AS n FROM dead_letters WHERE body LIKE '%dlq-roundtrip%'",
          ).first<{ n: number }>()
        )?.n === 1,
      { timeout: 28_000, interval: 250 },
    );
  }, 30_000);
});

describe("retry backoff", () => {
  it("doubles with each attempt and is capped at five minutes", () => {
    expect([1, 2, 3, 4, 10].map(backoffSeconds)).toEqual([2, 4, 8, 16, 300]);
  });
});

describe("the dead-letter consumer", () => {
  it("stores each message once, with its origin when the body tells it", async () => {
    const m = msg({ type: "lab_results", labId: "lab_x", results: [] });
    const n = msg({
      kind: "notify",
      personId: "p",
      color: "red",
      previousColor: "green",
      at: iso(Date.now()),
    });
    // A public-log entry the pool could not take, queued on intake: replayable there.
    const l = msg({ type: "log_append", items: [{ key: "k", leaf: "x" }] });
    const res = await deliver("healthpass-dead-letters", [m, n, { ...m }, l]);
    expect(res.ackAll).toBe(true);
    const rows = await env.DB.prepare("SELECT id, origin_queue FROM dead_letters WHERE id IN (?, ?, ?)")
      .bind(m.id, n.id, l.id)
      .all<{ id: string; origin_queue: string }>();
    expect(Object.fromEntries(rows.results.map((r) => [r.id, r.origin_queue]))).toEqual({
      [m.id]: LAB_QUEUE,
      [n.id]: "healthpass-notify",
      [l.id]: "healthpass-intake",
    });
  });
});
