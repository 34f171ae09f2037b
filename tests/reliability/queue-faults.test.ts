/**
 * Intake under at-least-once delivery. QUEUE_RESULTS lab results (default 10,000) over ~1/20 as many
 * persons are delivered to the real intake consumer 1–3 times each, shuffled, in concurrent batches,
 * with random attempt counts, and redelivered whenever the consumer asks for a retry. The control is
 * the pure rule engine over the same facts: in this data set colours only rise (a positive nucleic
 * acid test is red until a release that never comes), so one ordered delivery gives each person
 * exactly the engine's colour, version 1 (green) or 2 (one change to red), and one D1 change row per
 * red. Checked: every result stored once in D1, none lost from or doubled in any object, colour and
 * version as the control, no repeated transition in the history or in D1's change log. Poison messages go to the dead-letter store (D1 `dead_letters`) directly and
 * through the real queue, and none of the valid ones is lost on the way.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { beforeAll, describe, expect, inject, test, vi } from "vitest";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { evaluate } from "../../durable/rules/engine";
import type { TestResultFact } from "../../durable/rules/facts";
import { derivePersonId } from "../../workers/identity/person-id";
import worker from "../../workers/index";
import { RESULTS_PER_MESSAGE } from "../../workers/labs/results";
import { env } from "../helpers/api";
import { residentId } from "../helpers/identities";
import { countEveryShard, everyShard, personShard } from "../helpers/shards";

const RESULTS = Number(inject("queueResults") || 10_000);
const PERSONS = Math.max(10, Math.round(RESULTS / 20));
/** As the lab route packs them. */
const PER_MESSAGE = RESULTS_PER_MESSAGE;
const BATCH = 100; // max_batch_size of the lab-results queue in wrangler.toml
const CONCURRENT_BATCHES = 4;
const SEED = Number(inject("fuzzSeed") || 20261127);

/** mulberry32: a seeded PRNG, so a failing shuffle can be replayed with FUZZ_SEED. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

interface Queued {
  personId: string;
  sampleId: string;
  test: "nucleic_acid" | "antibody";
  result: "positive" | "negative";
  sampledAt: string;
  reportedAt: string;
}
type Body = { type: "lab_results"; labId: string; results: Queued[] };
interface Delivery {
  id: string;
  body: unknown;
  attempts: number;
}

const LAB = "lab_faults";

let persons: string[]; // index i: the faulty run's person
let results: (Queued & { person: number })[];

/** Lab results go to their own queue; the intake queue still applies those sent before it existed. */
async function deliver(
  deliveries: Delivery[],
  queue: "healthpass-lab-results" | "healthpass-intake" = "healthpass-lab-results",
): Promise<{ retried: Delivery[] }> {
  const batch = createMessageBatch(
    queue,
    deliveries.map((d) => ({ id: d.id, timestamp: new Date(), attempts: d.attempts, body: d.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  const outcome = await getQueueResult(batch, ctx);
  const retry = new Set(outcome.retryMessages.map((m) => m.msgId));
  if (outcome.retryBatch.retry) for (const d of deliveries) retry.add(d.id);
  for (const d of deliveries) {
    if (!retry.has(d.id) && !outcome.ackAll && !outcome.explicitAcks.includes(d.id))
      throw new Error(`message ${d.id} neither acked nor retried`);
  }
  return {
    retried: deliveries.filter((d) => retry.has(d.id)).map((d) => ({ ...d, attempts: d.attempts + 1 })),
  };
}

/** Runs deliveries in batches, CONCURRENT_BATCHES at a time, redelivering what the consumer retries. */
async function deliverAll(deliveries: Delivery[], concurrency: number): Promise<number> {
  let pending = deliveries;
  let rounds = 0;
  while (pending.length > 0 && rounds < 10) {
    rounds++;
    const batches: Delivery[][] = [];
    for (let i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH));
    const retried: Delivery[] = [];
    for (let i = 0; i < batches.length; i += concurrency) {
      const outs = await Promise.all(batches.slice(i, i + concurrency).map((b) => deliver(b)));
      for (const o of outs) retried.push(...o.retried);
    }
    pending = retried;
  }
  return rounds;
}

async function flushOutboxes(ids: string[]) {
  for (let i = 0; i < ids.length; i += 50)
    await Promise.all(ids.slice(i, i + 50).map((id) => runDurableObjectAlarm(env.PERSON.getByName(id))));
}

const messagesOf = (lab: string, rs: Queued[]): Body[] => {
  const out: Body[] = [];
  for (let i = 0; i < rs.length; i += PER_MESSAGE)
    out.push({ type: "lab_results", labId: lab, results: rs.slice(i, i + PER_MESSAGE) });
  return out;
};

const summaries = (ids: string[]) => Promise.all(ids.map((id) => env.PERSON.getByName(id).summary()));

const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = Date.now();
  const ids = (n: number, seq0: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        derivePersonId(env.PERSON_ID_KEY, {
          idType: "resident_id",
          idNumber: residentId(
            "510107",
            `19${String(50 + ((seq0 + i) % 50)).padStart(2, "0")}0101`,
            (seq0 + i) % 1000,
          ),
        }),
      ),
    );
  persons = await ids(PERSONS, 0);
  expect(new Set(persons).size).toBe(PERSONS);
  // Every person has applied, as the apply route does it: the directory row, then the object's init.
  const at = new Date().toISOString();
  for (let i = 0; i < PERSONS; i += 50)
    await Promise.all(
      persons
        .slice(i, i + 50)
        .map((personId) =>
          personShard(personId)
            .prepare(
              "INSERT INTO persons (person_id, id_type, name_enc, masked_name, district_code, created_at) VALUES (?, 'resident_id', 'test-ciphertext', '*', '510107', ?) ON CONFLICT DO NOTHING",
            )
            .bind(personId, at)
            .run(),
        ),
    );
  for (let i = 0; i < PERSONS; i += 50)
    await Promise.all(
      persons
        .slice(i, i + 50)
        .map((personId) => env.PERSON.getByName(personId).init({ personId, districtCode: "510107" })),
    );
  const now = Date.now();
  results = Array.from({ length: RESULTS }, (_, i) => {
    const person = Math.floor(random() * PERSONS);
    const sampled = now - Math.floor(random() * 10 * 86_400_000) - 3_600_000;
    return {
      person,
      personId: persons[person]!,
      sampleId: `S${String(i).padStart(6, "0")}`,
      test: random() < 0.8 ? "nucleic_acid" : "antibody",
      result: random() < 0.02 ? "positive" : "negative",
      sampledAt: new Date(sampled).toISOString(),
      reportedAt: new Date(sampled + 3_600_000 * (1 + Math.floor(random() * 20))).toISOString(),
    };
  });
  timings.setup = Date.now() - t0;
}, 240_000);

describe("at-least-once intake converges", () => {
  test(`${RESULTS} results delivered 1–3 times, shuffled, with retries = one ordered delivery`, async () => {
    const t = Date.now();
    // Faulty: every message 1–3 times, some resent with different content (a lab resending a
    // corrected result must not change what was applied first: the first stored row wins).
    const messages = messagesOf(LAB, shuffle(results.map(({ person: _p, ...r }) => r)));
    const deliveries: Delivery[] = [];
    messages.forEach((body, i) => {
      const copies = 1 + Math.floor(random() * 3);
      for (let c = 0; c < copies; c++)
        deliveries.push({ id: `m-${i}`, body, attempts: 1 + Math.floor(random() * 3) });
    });
    // Results split differently across messages on a resend (a producer retrying a partial send).
    for (let k = 0; k < messages.length / 10; k++) {
      const r = pick(results);
      const { person: _p, ...q } = r;
      deliveries.push({
        id: `split-${k}`,
        body: { type: "lab_results", labId: LAB, results: [q] },
        attempts: 1,
      });
    }
    shuffle(deliveries);
    const rounds = await deliverAll(deliveries, CONCURRENT_BATCHES);
    timings.faulty = Date.now() - t;
    timings.deliveries = deliveries.length;
    timings.rounds = rounds;

    // Every result stored exactly once per lab.
    const counts = {
      results: await everyShard<{ lab: string; n: number; d: number }>(
        "SELECT lab_id AS lab, COUNT(*) AS n, COUNT(DISTINCT sample_id) AS d FROM test_results WHERE lab_id = ? GROUP BY lab_id",
        LAB,
      ).then((rows) =>
        rows.length === 0 ? [] : [rows.reduce((a, r) => ({ lab: r.lab, n: a.n + r.n, d: a.d + r.d }))],
      ),
    };
    expect(Object.fromEntries(counts.results.map((r) => [r.lab, [r.n, r.d]]))).toEqual({
      [LAB]: [RESULTS, RESULTS],
    });

    // Colour and version as one ordered delivery: the engine's colour; version 1, or 2 for one change to red.
    const got = await summaries(persons);
    const at = new Date().toISOString();
    const byPerson = new Map<number, TestResultFact[]>();
    for (const r of results) {
      byPerson.set(r.person, [
        ...(byPerson.get(r.person) ?? []),
        {
          kind: "test_result",
          id: `result:${LAB}:${r.sampleId}`,
          labId: LAB,
          sampleId: r.sampleId,
          test: r.test,
          result: r.result,
          sampledAt: r.sampledAt,
          reportedAt: r.reportedAt,
        },
      ]);
    }
    const mismatches: string[] = [];
    let reds = 0;
    for (let i = 0; i < PERSONS; i++) {
      const expected = evaluate(byPerson.get(i) ?? [], at, DEFAULT_RULE_SET).color;
      if (expected === "red") reds++;
      const g = got[i];
      const version = expected === "red" ? 2 : 1;
      if (g?.color !== expected || g.version !== version)
        mismatches.push(`person ${i}: ${g?.color}/v${g?.version}, expected ${expected}/v${version}`);
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(reds, "the data set exercises transitions").toBeGreaterThan(0);

    // No result lost from an object, none applied twice.
    const lost: string[] = [];
    for (let i = 0; i < PERSONS; i += 50) {
      const facts = await Promise.all(
        persons.slice(i, i + 50).map((id) => env.PERSON.getByName(id).facts("test_result")),
      );
      facts.forEach((f, j) => {
        const want = new Set((byPerson.get(i + j) ?? []).map((x) => x.id));
        const ids = f.map((x) => x.id);
        if (ids.length !== new Set(ids).size || ids.length !== want.size || ids.some((id) => !want.has(id)))
          lost.push(`person ${i + j}: ${ids.length} facts, ${want.size} expected`);
      });
    }
    expect(lost.slice(0, 20)).toEqual([]);

    // History: no repeated transition (from === to), one entry per version.
    const histories = await Promise.all(persons.map((id) => env.PERSON.getByName(id).status()));
    const dupes: string[] = [];
    histories.forEach((h, i) => {
      const entries = h?.history ?? [];
      const versions = entries.map((e) => e.version);
      if (new Set(versions).size !== versions.length)
        dupes.push(`person ${i}: repeated versions ${versions}`);
      for (const e of entries)
        if (e.from === e.to) dupes.push(`person ${i}: ${e.from} → ${e.to} at v${e.version}`);
      const transitions = entries.filter((e) => e.from !== null).length;
      if (transitions !== (got[i]?.version ?? 0) - 1)
        dupes.push(`person ${i}: ${transitions} transitions for version ${got[i]?.version}`);
    });
    expect(dupes.slice(0, 20)).toEqual([]);

    // D1's change log, once the outboxes are flushed: exactly one green → red row per red person.
    await flushOutboxes(persons);
    const changes = async (ids: string[]) => {
      const out: string[] = [];
      for (let i = 0; i < ids.length; i += 90) {
        const part = ids.slice(i, i + 90);
        const rows = await everyShard<{ p: string; v: number; f: string | null; t: string }>(
          `SELECT person_id AS p, version AS v, from_color AS f, to_color AS t FROM color_changes WHERE person_id IN (${part.map(() => "?").join(",")})`,
          ...part,
        );
        for (const r of rows) out.push(`${ids.indexOf(r.p)}:${r.v}:${r.f}->${r.t}`);
      }
      return out.sort();
    };
    const expectedChanges = got
      .map((g, i) => (g?.color === "red" ? `${i}:2:green->red` : null))
      .filter((x) => x !== null)
      .sort();
    expect(expectedChanges.length).toBe(reds);
    expect(await changes(persons)).toEqual(expectedChanges);
    console.log(`queue faults: ${JSON.stringify({ results: RESULTS, persons: PERSONS, reds, ...timings })}`);
  });
});

describe("poison messages go to the dead-letter store; valid ones are not lost", () => {
  const poison: unknown[] = [
    { type: "lab_results" },
    { type: "lab_results", labId: LAB, results: "not a list" },
    { type: "lab_results", labId: LAB, results: [] },
    { type: "lab_results", labId: LAB, results: [{ personId: 42, sampleId: "P1" }] },
    {
      type: "lab_results",
      labId: LAB,
      results: [
        {
          personId: "x",
          sampleId: "has space",
          test: "nucleic_acid",
          result: "negative",
          sampledAt: "2026-01-01T00:00:00Z",
          reportedAt: "2026-01-01T00:00:00Z",
        },
      ],
    },
    { type: "lab_results", labId: "", results: null },
  ];
  const unknownType: unknown[] = [
    null,
    "text",
    42,
    [],
    { type: "no_such_type" },
    { no: "type" },
    // Names every object inherits: no handler, though a plain lookup in the handler map finds one.
    { type: "constructor" },
    { type: "toString" },
  ];

  test("poison among valid messages, delivered straight to the consumer", async () => {
    const validPerson = persons[0]!;
    const validBody = (n: number) => ({
      type: "lab_results",
      labId: "lab_poison_neighbours",
      results: [
        {
          personId: validPerson,
          sampleId: `N${n}`,
          test: "nucleic_acid",
          result: "negative",
          sampledAt: new Date(Date.now() - 7200_000).toISOString(),
          reportedAt: new Date(Date.now() - 3600_000).toISOString(),
        },
      ],
    });
    const deliveries: Delivery[] = shuffle([
      ...poison.map((body, i) => ({ id: `poison-${i}`, body, attempts: 1 })),
      ...unknownType.map((body, i) => ({ id: `unknown-${i}`, body, attempts: 1 })),
      ...Array.from({ length: 8 }, (_, i) => ({ id: `neighbour-${i}`, body: validBody(i), attempts: 1 })),
    ]);
    // On the intake queue, whose dispatch by `type` meets bodies of every shape.
    const { retried } = await deliver(deliveries, "healthpass-intake");
    // Unparseable intake bodies are stored at once; bodies of no known type are retried, and after
    // the queue's last retry the dead-letter queue's consumer stores them.
    expect(retried.map((d) => d.id).sort()).toEqual(unknownType.map((_, i) => `unknown-${i}`).sort());
    const dlq = createMessageBatch(
      "healthpass-dead-letters",
      retried.map((d) => ({ id: d.id, timestamp: new Date(), attempts: 1, body: d.body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(dlq as MessageBatch<unknown>, env, ctx);
    expect((await getQueueResult(dlq, ctx)).ackAll).toBe(true);

    const { results: stored } = await env.DB.prepare(
      "SELECT id, body FROM dead_letters WHERE id LIKE 'poison-%' OR id LIKE 'unknown-%'",
    ).all<{ id: string; body: string }>();
    expect(stored.map((r) => r.id).sort()).toEqual(
      [...poison.map((_, i) => `poison-${i}`), ...unknownType.map((_, i) => `unknown-${i}`)].sort(),
    );
    for (const r of stored) {
      const i = Number(r.id.split("-")[1]);
      expect(JSON.parse(r.body)).toEqual((r.id.startsWith("poison") ? poison : unknownType)[i]);
    }
    expect(
      await countEveryShard("SELECT COUNT(*) AS n FROM test_results WHERE lab_id = 'lab_poison_neighbours'"),
    ).toBe(8);
    const facts = await env.PERSON.getByName(validPerson).facts("test_result");
    expect(facts.filter((f) => f.id.startsWith("result:lab_poison_neighbours:")).length).toBe(8);
  });

  test("through the real queue: poison ends in dead_letters, valid results are applied", async () => {
    const validPerson = persons[1]!;
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first<{ n: number }>();
    const marker = `real-${Date.now()}`;
    await env.INTAKE_QUEUE.sendBatch([
      { body: { type: "lab_results", labId: marker } },
      { body: { type: "no_such_type", marker } },
      ...Array.from({ length: 5 }, (_, i) => ({
        body: {
          type: "lab_results",
          labId: marker,
          results: [
            {
              personId: validPerson,
              sampleId: `Q${i}`,
              test: "nucleic_acid",
              result: "negative",
              sampledAt: new Date(Date.now() - 7200_000).toISOString(),
              reportedAt: new Date(Date.now() - 3600_000).toISOString(),
            },
          ],
        },
      })),
    ]);
    await vi.waitUntil(
      async () => {
        const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE body LIKE ?")
          .bind(`%${marker}%`)
          .first<{ n: number }>();
        return (n?.n ?? 0) >= 2;
      },
      { timeout: 60_000, interval: 250 },
    );
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first<{ n: number }>();
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBe(2);
    expect(await countEveryShard("SELECT COUNT(*) AS n FROM test_results WHERE lab_id = ?", marker)).toBe(5);
    await vi.waitUntil(
      async () =>
        (await env.PERSON.getByName(validPerson).facts("test_result")).filter((f) =>
          f.id.startsWith(`result:${marker}:`),
        ).length === 5,
      { timeout: 10_000 },
    );
  });
});
