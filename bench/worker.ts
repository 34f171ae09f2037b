// Bench-only wrapper around the production worker (never deployed): the real fetch/queue/scheduled
// handlers and PersonObject, plus a bare counter Durable Object and /__bench/* routes that measure
// the baselines in the same runtime, the same isolate and the same local D1 as the figures beside them.
import { DurableObject } from "cloudflare:workers";
import { logPool, logSequencer, submitterOf } from "../durable/log-client";
import { DEFAULT_RULE_SET } from "../durable/rules/default-rule-set";
import type { Fact } from "../durable/rules/facts";
import { qrSvg } from "../qr/svg";
import { signCode } from "../workers/codes/sign";
import { derivePersonId } from "../workers/identity/person-id";
import worker from "../workers/index";
import { probeD1 } from "../workers/lib/d1-probe";
import { allShards, groupByShard, shardDatabases, shardFor } from "../workers/lib/shards";
import { binding } from "../workers/persons/repo";
import { type PushSubscription, sendPush } from "../workers/push/send";
import { vapidFromEnv } from "../workers/push/vapid";
import { directoryVenue } from "../workers/venues/directory";
import { verifyPlaceCode } from "../workers/venues/place-code";
import { findVenue } from "../workers/venues/repo";
import { venueBench } from "./worker-venue";

export * from "../workers/index";

type BenchEnv = Env & { BENCH_COUNTER: DurableObjectNamespace<BenchCounter> };

/** The floor for one hot object: one SQLite row updated per call, nothing else. */
export class BenchCounter extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  }

  async increment(): Promise<number> {
    const row = this.ctx.storage.sql
      .exec<{ n: number }>(
        "INSERT INTO counter (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1 RETURNING n",
      )
      .one();
    return row.n;
  }

  /** Writes its row, then has the counter `next` write its own: a new visit's chain of object writes, bare. */
  async incrementThen(next: string): Promise<number> {
    const n = await this.increment();
    await this.env.BENCH_COUNTER.getByName(next).increment();
    return n;
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Caps every loop a request can ask for, so a typo cannot wedge the runtime. */
const MAX_N = 100_000;
const count = (url: URL, name: string, fallback: number) =>
  Math.min(MAX_N, Math.max(1, Number(url.searchParams.get(name) ?? fallback) || fallback));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `n` calls at once and times each (the clock advances across the RPC's I/O). */
async function fanOut<T>(n: number, call: (i: number) => Promise<T>) {
  const started = Date.now();
  const latencies: number[] = [];
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = Date.now();
      const r = await call(i);
      latencies.push(Date.now() - t0);
      return r;
    }),
  );
  const ms = Date.now() - started;
  latencies.sort((a, b) => a - b);
  return { results, ms, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Rows shaped like the intake's test_results rows, for the raw-insert baselines. */
function resultRows(lab: string, n: number) {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => [
    `bench-person-${i % 997}`,
    lab,
    `S${String(i).padStart(7, "0")}`,
    "nucleic_acid",
    "negative",
    "2026-11-20T08:00:00Z",
    "2026-11-20T20:00:00Z",
    at,
  ]);
}

const COLUMNS = "person_id, lab_id, sample_id, test, result, sampled_at, reported_at, received_at";
/** D1 binds at most 100 parameters a statement: 12 rows × 8 columns. */
const ROWS_PER_STATEMENT = 12;
const STATEMENTS_PER_BATCH = 100;

async function insertBatched(db: D1Database, rows: string[][]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    statements.push(
      db
        .prepare(`INSERT INTO test_results (${COLUMNS}) VALUES ${values} ON CONFLICT DO NOTHING`)
        .bind(...chunk.flat()),
    );
  }
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
  }
}

async function insertOneByOne(db: D1Database, rows: string[][]): Promise<void> {
  const stmt = db.prepare(
    `INSERT INTO test_results (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const row of rows) await stmt.bind(...row).run();
}

function negativeResult(person: string, i: number): Fact {
  const sampled = new Date(Date.parse("2026-11-01T00:00:00Z") + i * 60_000).toISOString();
  return {
    kind: "test_result",
    id: `result:bench:${person}:${i}`,
    labId: "bench",
    sampleId: `${person}-${i}`,
    test: "nucleic_acid",
    result: "negative",
    sampledAt: sampled,
    reportedAt: sampled,
  };
}

/** A random 128-bit id in base64url: shaped like a production personId (an HMAC), so uniform over ranges. */
function randomPersonId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Persons for the rule-set preview figure, written the way the apply route leaves them (a directory
 * row and an initialised object) without the identity provider round trips; every `closeEvery`-th
 * is a close contact of 15 days ago (red under the built-in table).
 */
async function seedPreviewPersons(env: BenchEnv, n: number, closeEvery: number, batch: number) {
  const now = new Date().toISOString();
  const occurredAt = new Date(Date.now() - 15 * 86_400_000).toISOString();
  const people = Array.from({ length: n }, (_, i) => ({
    personId: randomPersonId(),
    districtCode: ["510104", "510107", "511702", "513301"][i % 4]!,
    close: i % closeEvery === 0,
  }));
  // Each directory row on its person's shard; 12 rows × 8 columns per statement stays under D1's 100
  // bound parameters.
  for (const [db, part] of groupByShard(env, people, (p) => p.personId)) {
    const statements = [];
    for (let i = 0; i < part.length; i += 12) {
      const rows = part.slice(i, i + 12);
      statements.push(
        db
          .prepare(
            `INSERT INTO persons (person_id, id_type, name_enc, phone_enc, masked_name, nationality, district_code, created_at) VALUES ${rows.map(() => "(?, 'resident_id', 'bench', NULL, '*三', NULL, ?, ?)").join(", ")}`,
          )
          .bind(...rows.flatMap((p) => [p.personId, p.districtCode, now])),
      );
    }
    for (let i = 0; i < statements.length; i += 100) await db.batch(statements.slice(i, i + 100));
  }
  let next = 0;
  const worker = async () => {
    while (next < people.length) {
      const p = people[next++]!;
      const facts: Fact[] = p.close
        ? [
            {
              kind: "authority_event",
              id: `event:bench-${p.personId}`,
              event: "close_contact",
              occurredAt,
              reason: "bench",
              actor: "bench",
            },
          ]
        : [];
      await env.PERSON.getByName(p.personId).importPerson(
        { personId: p.personId, districtCode: p.districtCode },
        facts,
        null,
      );
    }
  };
  await Promise.all(Array.from({ length: batch }, worker));
  return { persons: n, closeContacts: people.filter((p) => p.close).length };
}

async function bench(request: Request, env: BenchEnv, url: URL): Promise<Response> {
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case "POST /__bench/counter": {
      const stub = env.BENCH_COUNTER.getByName(url.searchParams.get("name") ?? "hot");
      const { results, ...timing } = await fanOut(count(url, "n", 1000), () => stub.increment());
      return json({ ...timing, calls: results.length, last: Math.max(...results) });
    }
    case "POST /__bench/two-writes": {
      // The floor of a new visit (bench/lib/load.mjs twoWritesWalk): one object writes, then another.
      const first = url.searchParams.get("first") ?? "first";
      const second = url.searchParams.get("second") ?? "second";
      return json({ n: await env.BENCH_COUNTER.getByName(first).incrementThen(second) });
    }
    case "POST /__bench/counters": {
      // One increment on each of n distinct bare counter objects at once (NAME-0 … NAME-(n-1)): what
      // reaching n objects costs the runtime alone, with none of the service's code; cold or warm.
      const name = url.searchParams.get("name") ?? "many";
      const { results, ...timing } = await fanOut(count(url, "n", 2000), (i) =>
        env.BENCH_COUNTER.getByName(`${name}-${i}`).increment(),
      );
      return json({ ...timing, calls: results.length });
    }
    case "POST /__bench/log-append": {
      // n concurrent single-entry appends to the public log from n submitters (as n person objects'
      // outboxes do), each answered once its batch is in R2 and signed: entries per second until
      // sequenced (compare with the bare counter above). Through the fan-in pools, as in production;
      // `via=sequencer` calls the sequencer directly (one call per entry, the design before the pools).
      const via = url.searchParams.get("via");
      const direct = via === "sequencer";
      const tag = url.searchParams.get("name") ?? "bench";
      const entry = (i: number) =>
        JSON.stringify({ at: new Date().toISOString(), i, tag, type: "bench", v: 1 });
      if (via === "batch") {
        // All n in one call: the sequencer's own ceiling (what a second log would be needed beyond).
        const n = count(url, "n", 1000);
        const started = Date.now();
        const results = await logSequencer(env).append(
          Array.from({ length: n }, (_, i) => ({ key: `color:bench-${tag}-${i}:1`, entry: entry(i) })),
        );
        const ms = Date.now() - started;
        return json({
          ms,
          p50: ms,
          p99: ms,
          calls: n,
          sequenced: results.filter((r) => r.index !== null).length,
        });
      }
      const { results, ...timing } = await fanOut(count(url, "n", 1000), (i) => {
        const item = { key: `color:bench-${tag}-${i}:1`, entry: entry(i) };
        return (direct ? logSequencer(env) : logPool(env, submitterOf(item.key))).append([item]);
      });
      return json({
        ...timing,
        calls: results.length,
        sequenced: results.filter((r) => r[0]?.index !== null).length,
      });
    }
    case "POST /__bench/facts": {
      const person = url.searchParams.get("person") ?? "bench-hot";
      const stub = env.PERSON.getByName(person);
      await stub.init({ personId: person, districtCode: null });
      const { results, ...timing } = await fanOut(count(url, "n", 1000), (i) =>
        stub.addFacts([negativeResult(person, i)]),
      );
      const summary = await stub.summary();
      return json({
        ...timing,
        calls: results.length,
        added: results.reduce((s, r) => s + r.added, 0),
        colorChanges: results.filter((r) => r.changed).length,
        color: summary?.color,
      });
    }
    case "POST /__bench/preview-persons": {
      const started = Date.now();
      const seeded = await seedPreviewPersons(env, count(url, "n", 1000), count(url, "closeEvery", 10), 32);
      return json({ ...seeded, ms: Date.now() - started });
    }
    case "GET /__bench/default-rule-set":
      return json(DEFAULT_RULE_SET);
    case "POST /__bench/d1-batched":
    case "POST /__bench/d1-single": {
      const lab = url.searchParams.get("lab") ?? "bench-raw";
      const rows = resultRows(lab, count(url, "rows", 1000));
      const started = Date.now();
      // test_results lives on the person shards: the baseline writes into one of them.
      const db = shardDatabases(env)[0]!;
      await (url.pathname.endsWith("batched") ? insertBatched : insertOneByOne)(db, rows);
      return json({ rows: rows.length, ms: Date.now() - started });
    }
    case "GET /__bench/results-count": {
      const lab = url.searchParams.get("lab") ?? "";
      const rows = await allShards(env, (db) =>
        db
          .prepare("SELECT count(*) AS n FROM test_results WHERE lab_id = ?")
          .bind(lab)
          .first<{ n: number }>(),
      );
      return json({ n: rows.reduce((n, r) => n + (r?.n ?? 0), 0) });
    }
    case "POST /__bench/applied": {
      // How many of the given results are applied, intake's "done" signal: held by the person's
      // object if the person is in the directory (has applied), else stored in D1, where the
      // object's first init reads it (asking that object would create it).
      const markers = ((await request.json()) as { idNumber: string; factId: string }[]).slice(0, 99);
      const withIds = await Promise.all(
        markers.map(async (m) => ({
          ...m,
          personId: await derivePersonId(env.PERSON_ID_KEY, { idType: "resident_id", idNumber: m.idNumber }),
        })),
      );
      const known = withIds.length
        ? await allShards(env, (db) =>
            db
              .prepare(
                `SELECT person_id FROM persons WHERE person_id IN (${withIds.map(() => "?").join(",")})`,
              )
              .bind(...withIds.map((m) => m.personId))
              .all<{ person_id: string }>(),
          )
        : [];
      const directory = new Set(known.flatMap((k) => k.results.map((r) => r.person_id)));
      const held = await Promise.all(
        withIds.map(async (m) => {
          if (directory.has(m.personId)) {
            const facts = await env.PERSON.getByName(m.personId).facts("test_result");
            return facts.some((f) => f.id === m.factId);
          }
          const [, labId, sampleId] = m.factId.split(":");
          const row = await shardFor(env, m.personId)
            .prepare("SELECT 1 AS x FROM test_results WHERE lab_id = ? AND sample_id = ?")
            .bind(labId, sampleId)
            .first();
          return row !== null;
        }),
      );
      return json({ markers: markers.length, applied: held.filter(Boolean).length });
    }
    case "POST /__bench/red-at": {
      // Intake freshness: when each person's object turned red (its history entry's wall-clock time,
      // taken when the fact arrived), null while it is not red.
      const ids = ((await request.json()) as string[]).slice(0, 1000);
      const at = await Promise.all(
        ids.map(async (id) => {
          const s = await env.PERSON.getByName(id).status();
          const entry = s?.history.findLast((h) => h.to === "red");
          return s?.state.color === "red" && entry ? Date.parse(entry.at) : null;
        }),
      );
      return json({ at });
    }
    // Phases of the code route, one at a time, to find where its time goes (compare their rates).
    case "GET /__bench/phase/sign": {
      const code = await signCode(env, { sub: "bench", color: "green", ver: 1 }, 300);
      return json({ length: code.token.length });
    }
    case "GET /__bench/phase/qr": {
      const token = url.searchParams.get("token") ?? "x".repeat(400);
      return json({ length: qrSvg(token).length });
    }
    // Phases of the check-in route (the place code, venue and person come as query parameters).
    case "GET /__bench/phase/place": {
      return json(await verifyPlaceCode(env, url.searchParams.get("code") ?? ""));
    }
    case "GET /__bench/phase/venue": {
      return json({ found: Boolean(await findVenue(env, url.searchParams.get("venue") ?? "")) });
    }
    case "GET /__bench/phase/binding": {
      const row = await binding(
        env,
        url.searchParams.get("account") ?? "",
        url.searchParams.get("person") ?? "",
      );
      return json({ found: Boolean(row) });
    }
    case "GET /__bench/phase/venue-cached": {
      // What the route reads now: the directory row from the per-isolate cache (D1 once a minute).
      return json({ found: Boolean(await directoryVenue(env, url.searchParams.get("venue") ?? "")) });
    }
    case "GET /__bench/phase/venue-object": {
      // One round trip to the venue's object (check-ins and the designations covering it live there).
      const venue = url.searchParams.get("venue") ?? "";
      return json({ days: (await env.VENUE.getByName(venue).daily("9999-12-31")).length });
    }
    case "GET /__bench/phase/summary": {
      return json(await env.PERSON.getByName(url.searchParams.get("person") ?? "bench").summary());
    }
    case "POST /__bench/push": {
      const sub = (await request.json()) as PushSubscription;
      const outcome = await sendPush(
        sub,
        { personId: "bench", color: "yellow", previousColor: "green", at: new Date().toISOString() },
        // Production's subject is its https ISSUER_URL; the bench's issuer is http://localhost.
        { ...vapidFromEnv(env), subject: "mailto:bench@example.invalid" },
        { devMode: true },
      );
      return json(outcome);
    }
    default:
      return json({ error: `no bench route ${route}` }, 404);
  }
}

/**
 * One probed env per isolate, as a deployed isolate has one env: the per-isolate caches (keys, issuers,
 * the venue directory) are keyed by the env object, so a new copy per request would start them cold
 * and count their first reads every time. bench/d1-queries.mjs sends its requests one at a time.
 */
let probed: ReturnType<typeof probeD1<BenchEnv>> | undefined;

/** bench/d1-queries.mjs: the request run over D1 bindings that count, the count in `x-d1-queries`. */
async function countD1(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
  probed ??= probeD1(env);
  const { probe } = probed;
  probe.reset();
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], probed.env, ctx);
  const out = new Response(res.body, res);
  out.headers.set("x-d1-queries", String(probe.queries.length));
  return out;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/__bench/"))
      return (await venueBench(request, env, url)) ?? bench(request, env, url);
    if (request.headers.has("x-bench-d1-count")) return countD1(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
  scheduled: worker.scheduled,
} satisfies ExportedHandler<BenchEnv>;
