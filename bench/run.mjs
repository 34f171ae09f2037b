// `npm run bench [-- --rounds 5 --duration 5 --connections 32]`: the built worker on workerd (Miniflare
// API, local D1, Durable Objects, Queues) driven over loopback by autocannon. Every figure sits beside a
// baseline measured in the same round; ratios are the median over rounds. Writes bench/results.json.
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { d1QueriesPerRequest } from "./d1-queries.mjs";
import {
  call,
  pushSubscription,
  registerVenues,
  residentId,
  seed,
  seedPersons,
  servedPaths,
  visitEach,
} from "./lib/fixtures.mjs";
import { prepareFreshness, runFreshness } from "./lib/freshness.mjs";
import { hammer, median, newVisitWalk, randomCheckIns, round, twoWritesWalk } from "./lib/load.mjs";
import { measureObjectMemory } from "./lib/memory.mjs";
import { startPushReceiver } from "./lib/receiver.mjs";
import { buildBundle, runtimeCpuMs, startMemorySampler, startRuntime } from "./lib/runtime.mjs";
import { designationRun, hotVenueRound, hotVenueSummary } from "./venue.mjs";

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "32" },
    persons: { type: "string", default: "8" },
    facts: { type: "string", default: "1000" },
    results: { type: "string", default: "1000" },
    "single-rows": { type: "string", default: "500" },
    // How many of the intake's identities apply before the rounds (their results then go to objects).
    "intake-applied": { type: "string", default: "0" },
    "in-memory": { type: "boolean", default: false },
    venues: { type: "string", default: "250" },
    // The all-new-visits check-in figure: persons × venues of its own, every pair visited once.
    "new-visit-persons": { type: "string", default: "64" },
    "new-visit-venues": { type: "string", default: "500" },
    // The designation figure (issue 12): venues × visits each; `--designation-applied`: visitors applied first.
    "designation-venues": { type: "string", default: "200" },
    "designation-visits": { type: "string", default: "100" },
    "designation-applied": { type: "boolean", default: false },
    // Distinct visitors (default: one per visit); fewer keep the visits with fewer objects.
    "designation-persons": { type: "string", default: "" },
    // Persons in the directory when a rule-set preview runs over all of them (issue 14).
    "preview-persons": { type: "string", default: "10000" },
    // Intake freshness (issue 16): results/s for seconds, in POSTs of fresh-batch results.
    "fresh-rate": { type: "string", default: "1000" },
    "fresh-seconds": { type: "string", default: "10" },
    "fresh-batch": { type: "string", default: "50" },
    // Memory per 1,000 live person objects (issue 16): this many initialised first, in a fresh runtime.
    "memory-objects": { type: "string", default: "2000" },
    // Comma-separated figures to measure (e.g. code_refresh,checkin); the ceiling always runs.
    only: { type: "string", default: "" },
    out: { type: "string", default: new URL("results.json", import.meta.url).pathname },
  },
});
const bounded = (name, min, max) => {
  const v = Number(flags[name]);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
  return v;
};
const ROUNDS = bounded("rounds", 1, 20);
const DURATION = bounded("duration", 1, 60);
const CONNECTIONS = bounded("connections", 1, 200);
const PERSONS = bounded("persons", 1, 50);
const FACTS = bounded("facts", 10, 10_000);
const RESULTS = bounded("results", 100, 50_000);
const SINGLE_ROWS = bounded("single-rows", 50, 10_000);
const INTAKE_APPLIED = bounded("intake-applied", 0, 50_000);
const VENUES = bounded("venues", 1, 2000);
const NEW_VISITS = {
  persons: bounded("new-visit-persons", 2, 500),
  venues: bounded("new-visit-venues", 20, 2000),
};
const DESIGNATION = {
  venues: bounded("designation-venues", 1, 2000),
  visits: bounded("designation-visits", 1, 1000),
  applied: flags["designation-applied"],
  persons: flags["designation-persons"] ? bounded("designation-persons", 1, 2_000_000) : undefined,
};
const PREVIEW_PERSONS = bounded("preview-persons", 100, 100_000);
const FRESH = {
  rate: bounded("fresh-rate", 10, 20_000),
  seconds: bounded("fresh-seconds", 1, 120),
  batch: bounded("fresh-batch", 1, 1000),
};
const MEMORY_OBJECTS = bounded("memory-objects", 100, 20_000);
const FIGURES = [
  "verify_state",
  "verify_signature",
  "code_refresh",
  "checkin",
  "checkin_new",
  "push",
  "hot_person",
  "intake",
  "freshness",
  "rule_preview",
  "log_append",
  "hot_venue",
  "designation",
  "memory",
];
const ONLY = flags.only ? flags.only.split(",").map((s) => s.trim()) : FIGURES;
for (const f of ONLY)
  if (!FIGURES.includes(f)) throw new Error(`--only: unknown figure ${f} (${FIGURES.join(", ")})`);
const selected = (f) => ONLY.includes(f);

/** Targets from issues 8 and 16 (ratios: median of rounds; intake: freshness under load, ms). */
const TARGETS = {
  verify_state: 0.3,
  verify_signature: 0.45,
  code_refresh: 0.35,
  checkin: 0.25,
  hot_person_vs_counter: 0.5,
  hot_venue_vs_counter: 0.5,
  intake_freshness_p99_ms: 2500,
  intake_drain_ms: 3000,
};

const log = (msg) => console.error(`[bench] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The code `settle` verifies with state, to tell when the runtime is quiet. */
let quietProbe = null;

log("building the worker bundle (wrangler deploy --dry-run)");
const bundle = buildBundle();
const loadBefore = loadavg();
const runtime = await startRuntime(bundle.script, { inMemory: flags["in-memory"] });
const memory = startMemorySampler();
const receiver = await startPushReceiver();
const { origin } = runtime;
let disposed = false;
log(`workerd at ${origin}; ${ROUNDS} rounds × ${DURATION}s, ${CONNECTIONS} connections`);

try {
  const paths = await servedPaths(origin);
  const dev = await seed(origin);
  const persons = await seedPersons(origin, PERSONS);
  const subscription = await pushSubscription(receiver.endpoint);
  const checkin = paths.has("/v1/checkins") && selected("checkin") ? await prepareCheckins(persons) : null;
  const newVisits =
    paths.has("/v1/checkins") && selected("checkin_new") ? await prepareNewVisits(persons.length) : null;
  const intakeReady = paths.has("/v1/lab/results") && selected("intake");
  if (intakeReady && INTAKE_APPLIED > 0) await applyIntakeIdentities(Math.min(INTAKE_APPLIED, RESULTS));

  const all = {
    health: { url: "/health" },
    verify_state: {
      url: "/v1/verify",
      method: "POST",
      requests: persons.map((p) => ({ method: "POST", body: JSON.stringify({ token: p.code }) })),
    },
    verify_signature: {
      url: "/v1/verify?mode=signature",
      method: "POST",
      requests: persons.map((p) => ({ method: "POST", body: JSON.stringify({ token: p.code }) })),
    },
    code_refresh: {
      url: "/v1/persons",
      requests: persons.map((p) => ({
        method: "GET",
        path: `/v1/persons/${p.personId}/code`,
        headers: { authorization: `Bearer ${p.idToken}`, "content-type": "application/json" },
      })),
    },
    ...(checkin ? { checkin } : {}),
    ...(newVisits ?? {}),
    push: { url: "/__bench/push", method: "POST", body: JSON.stringify(subscription) },
  };
  const http = Object.fromEntries(
    Object.entries(all).filter(
      ([k]) => k === "health" || selected(k) || (k === "checkin_floor" && selected("checkin_new")),
    ),
  );

  log("warming up");
  for (const s of Object.values(http)) await run(s, 2, { warmup: true });

  // Object figures leave background work behind (new persons' outboxes: log entries, counts; the
  // intake's queue), which locally shares one workerd process with everything else and stalls the next
  // figure and its baseline alike for seconds at a time (in production those objects run on other
  // machines). So every HTTP round runs before any object figure, and every round and every object
  // figure starts from a quiet runtime (`settle`).
  quietProbe = persons[0].code;
  const samples = Object.fromEntries(Object.keys(http).map((k) => [k, []]));
  for (let r = 1; r <= ROUNDS; r++) {
    await settle(`round ${r}`);
    for (const [name, s] of Object.entries(http)) {
      const before = receiver.received;
      const cpuBefore = runtimeCpuMs();
      const res = await run(s, DURATION);
      res.cpuMsPerRequest = (runtimeCpuMs() - cpuBefore) / res.requests;
      if (name === "push") res.messagesPerSecond = (receiver.received - before) / DURATION;
      const countsVisits = name === "checkin" || name === "checkin_new";
      if (countsVisits) res.newVisitShare = res.status201 / res.requests;
      samples[name].push(res);
      log(
        `round ${r} ${name}: ${Math.round(res.rps)} req/s p50 ${res.p50} ms p99 ${res.p99} ms, runtime CPU ${res.cpuMsPerRequest.toFixed(2)} ms/request${countsVisits ? `, ${Math.round(100 * res.newVisitShare)} % new visits` : ""}`,
      );
    }
  }
  const hot = { counter: [], facts: [], colorChanges: 0, log: [], logCounter: [] };
  const intake = { intake: [], batched: [], single: [] };
  const hotVenue = [];
  for (let r = 1; r <= ROUNDS; r++) {
    if (selected("hot_person")) await settle(`round ${r} hot person`).then(() => hotPersonRound(r, hot));
    if (selected("log_append")) await settle(`round ${r} log append`).then(() => logAppendRound(r, hot));
    if (selected("hot_venue")) await hotVenueRound(origin, r, hotVenue, log, settle);
    if (intakeReady) await settle(`round ${r} intake`).then(() => intakeRound(r, intake, dev));
  }

  const freshness = paths.has("/v1/lab/results") && selected("freshness") ? await freshnessRun(dev) : null;

  const previewReady = paths.has("/v1/authority/rule-sets/previews") && selected("rule_preview");
  const preview = previewReady ? await rulePreviewRun(dev) : null;

  const designation = selected("designation") ? await designationRun(origin, log, DESIGNATION) : null;

  const results = summarise(samples, hot, intake, { checkin: Boolean(checkin), intake: intakeReady });
  results.d1_queries_per_request = await d1QueriesPerRequest(origin, persons);
  log(`D1 statements per request (steady state): ${JSON.stringify(results.d1_queries_per_request)}`);
  results.hot_venue = hotVenueSummary(hotVenue, median, round);
  if (results.hot_venue) results.ratios.hot_venue_vs_counter = results.hot_venue.vs_counter;
  results.designation = designation;
  if (preview) {
    results.rule_preview = preview;
    results.throughput.rule_preview_persons_per_s = round(preview.persons / preview.seconds, 0);
  }
  if (freshness) {
    const { red_ms: red, drain_ms: drain } = freshness.run;
    results.intake_freshness_ms = { p50: red.p50, p99: red.p99, drain };
    results.intake_push_ms = { p50: freshness.run.push_ms.p50, p99: freshness.run.push_ms.p99 };
    results.intake_freshness = freshness.run;
    results.throughput.intake_freshness_posted_per_s = freshness.run.posted_results_per_s;
  }
  const mem = memory.stop();
  results.peak_rss_mb = mem.peak_rss_mb;
  // Last, in a runtime of its own that nothing has warmed or filled (and whose new objects' background
  // work disturbs no other figure): what 1,000 more live person objects cost.
  await runtime.dispose();
  disposed = true;
  const objectMemory = selected("memory") ? await memoryInFreshRuntime() : null;
  results.memory = {
    ...mem,
    note: "max of sampled VmRSS and VmHWM of the workerd process(es) over the whole run",
    ...(objectMemory
      ? {
          per_1000_person_objects_mb: objectMemory.per_1000_person_objects_mb,
          per_1000_note: `workerd VmRSS before and after ${objectMemory.objects} person objects were initialised, in a runtime of their own, ${objectMemory.settle_ms / 1000} s after the last`,
          person_objects: objectMemory,
        }
      : {}),
  };
  writeFileSync(flags.out, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  log(`wrote ${flags.out}`);
} finally {
  await receiver.close();
  if (!disposed) await runtime.dispose();
  bundle.cleanup();
}

async function memoryInFreshRuntime() {
  const fresh = await startRuntime(bundle.script, { inMemory: flags["in-memory"] });
  try {
    return await measureObjectMemory(fresh.origin, memory, MEMORY_OBJECTS, log);
  } finally {
    await fresh.dispose();
  }
}

/**
 * Waits until a verify with state answers within 100 ms ten times in a row, half a second apart (at
 * most 3 minutes): the background work of what ran before has drained.
 */
async function settle(label) {
  const t0 = Date.now();
  let prompt = 0;
  while (prompt < 10 && Date.now() - t0 < 180_000) {
    const t = Date.now();
    await call(origin, "POST", "/v1/verify", { body: { token: quietProbe } });
    prompt = Date.now() - t < 100 ? prompt + 1 : 0;
    await sleep(500);
  }
  log(`${label}: quiet after ${Math.round((Date.now() - t0) / 1000)} s`);
}

function run(s, duration, opts = {}) {
  return hammer(`${origin}${s.url}`, { ...s, ...opts, connections: CONNECTIONS, duration });
}

/** Intake freshness: persons who will turn red apply and subscribe, then results arrive at a steady rate. */
async function freshnessRun(dev) {
  await settle("freshness");
  const applied = Math.max(1, Math.floor((FRESH.rate * FRESH.seconds) / 10));
  log(`freshness: ${applied} persons apply and subscribe to push`);
  const prepared = await prepareFreshness(origin, receiver, applied);
  log(`freshness: ${FRESH.rate} results/s for ${FRESH.seconds} s in POSTs of ${FRESH.batch}`);
  const run = await runFreshness(origin, receiver, prepared, dev, FRESH);
  log(
    `freshness: red p50 ${run.red_ms.p50} ms p99 ${run.red_ms.p99} ms, push p50 ${run.push_ms.p50} ms p99 ${run.push_ms.p99} ms, drain ${run.drain_ms} ms, posted ${run.posted_results_per_s}/s`,
  );
  return { run };
}

/**
 * Check-ins at VENUES venues by the seeded persons, each request a random (person, venue) pair so that
 * most are new visits; a repeat inside the two-minute window is answered as the same visit (200).
 */
async function prepareCheckins(persons) {
  const venues = await registerVenues(origin, VENUES, {
    owner: "bench-venue-owner",
    name: (v) => `菜市场 Bench Market ${v}`,
  });
  const places = venues.map((v) => v.placeCode);
  return {
    url: "/v1/checkins",
    method: "POST",
    requests: randomCheckIns(persons, places),
  };
}

/**
 * Check-ins that are all new visits (`checkin_new`), as people walking into venues make them, and
 * their floor (`checkin_floor`): the same chain of two object writes with none of the service's code.
 * Persons and venues of their own (`--new-visit-persons` × `--new-visit-venues` pairs, each visited
 * once: more than a full run sends), every venue's object created beforehand by one visit of another
 * person, so a new visit finds the venue's object stored (awake or asleep, as in production).
 */
async function prepareNewVisits(first) {
  const visitors = await seedPersons(origin, NEW_VISITS.persons + 1, { first });
  const opener = visitors.pop();
  const venues = await registerVenues(origin, NEW_VISITS.venues, {
    owner: "bench-new-visit-owner",
    name: (v) => `Bench Shop ${v}`,
  });
  const places = venues.map((v) => v.placeCode);
  await visitEach(origin, opener, places);
  return {
    checkin_new: { url: "/v1/checkins", method: "POST", requests: newVisitWalk(visitors, places) },
    checkin_floor: {
      url: "/__bench/two-writes",
      method: "POST",
      requests: twoWritesWalk(NEW_VISITS.persons, NEW_VISITS.venues),
    },
  };
}

/** FACTS concurrent calls on one fresh object each: the bare counter, then the person (add + re-evaluate). */
async function hotPersonRound(r, hot) {
  const counter = await call(origin, "POST", `/__bench/counter?n=${FACTS}&name=counter-${r}`);
  const facts = await call(origin, "POST", `/__bench/facts?n=${FACTS}&person=bench-hot-${r}`);
  if (counter.calls !== FACTS || facts.added !== FACTS) throw new Error(`hot person round ${r} lost calls`);
  hot.counter.push(counter);
  hot.facts.push(facts);
  hot.colorChanges += facts.colorChanges;
  log(
    `round ${r} hot person: counter ${Math.round((FACTS * 1000) / counter.ms)}/s, facts ${Math.round((FACTS * 1000) / facts.ms)}/s`,
  );
}

/**
 * A rule-set preview over PREVIEW_PERSONS persons (a tenth of them close contacts of 15 days ago):
 * the built-in table with close contacts lasting 14 days instead of 21, so those turn red → green.
 * Timed from the POST to the first GET that says done; persons are seeded once, after the rounds.
 */
async function rulePreviewRun(dev) {
  log(`seeding ${PREVIEW_PERSONS} persons for the rule-set preview`);
  let closeContacts = 0;
  for (let i = 0; i < PREVIEW_PERSONS; i += 1000) {
    const n = Math.min(1000, PREVIEW_PERSONS - i);
    closeContacts += (await call(origin, "POST", `/__bench/preview-persons?n=${n}&closeEvery=10`))
      .closeContacts;
  }
  const { idToken } = await call(origin, "POST", "/dev/id-token", { body: { sub: dev.authoritySubject } });
  const table = await call(origin, "GET", "/__bench/default-rule-set");
  const proposed = {
    ...table,
    version: "bench.14",
    rules: table.rules.map((r) =>
      r.id === "close-contact" ? { ...r, version: "2", lift: { afterDays: 14, from: "trigger" } } : r,
    ),
  };
  const started = performance.now();
  const { previewId } = await call(origin, "POST", "/v1/authority/rule-sets/previews", {
    token: idToken,
    body: proposed,
  });
  let p;
  for (;;) {
    p = await call(origin, "GET", `/v1/authority/rule-sets/previews/${previewId}`, { token: idToken });
    if (p.status === "done") break;
    if (performance.now() - started > 600_000)
      throw new Error(`rule preview: ${p.evaluated}/${p.total} after 600 s`);
    await sleep(100);
  }
  const seconds = (performance.now() - started) / 1000;
  const changed = p.changes.find((c) => c.from === "red" && c.to === "green")?.count ?? 0;
  // Every seeded close contact (and nobody else) changes; the bench's own persons are in the directory too.
  if (changed !== closeContacts || p.changed !== closeContacts)
    throw new Error(`rule preview: ${changed} red → green, expected ${closeContacts}`);
  log(`rule-set preview: ${p.evaluated} persons in ${seconds.toFixed(1)} s (${changed} red → green)`);
  return { persons: p.evaluated, seconds: round(seconds, 2), changed, ranges: 64 };
}

/**
 * The public log (issue 13): FACTS concurrent single-entry appends, each answered once sequenced (in
 * R2 and a signed checkpoint), against the same number of bare counter calls in the same round.
 */
async function logAppendRound(r, hot) {
  const counter = await call(origin, "POST", `/__bench/counter?n=${FACTS}&name=log-counter-${r}`);
  const appended = await call(origin, "POST", `/__bench/log-append?n=${FACTS}&name=round-${r}`);
  if (appended.calls !== FACTS || appended.sequenced !== FACTS)
    throw new Error(`log round ${r} lost appends`);
  // The same appends straight to the sequencer, one call each (no fan-in pools), for comparison.
  const direct = await call(origin, "POST", `/__bench/log-append?n=${FACTS}&name=direct-${r}&via=sequencer`);
  hot.logCounter.push(counter);
  hot.log.push(appended);
  // All of them in one call: the sequencer alone (its ceiling, whatever the fan-in in front of it).
  const batch = await call(origin, "POST", `/__bench/log-append?n=${FACTS}&name=batch-${r}&via=batch`);
  hot.logDirect = [...(hot.logDirect ?? []), direct];
  hot.logBatch = [...(hot.logBatch ?? []), batch];
  log(
    `round ${r} log append: ${Math.round((FACTS * 1000) / appended.ms)} entries/s sequenced via pools, ${Math.round((FACTS * 1000) / direct.ms)}/s direct, ${Math.round((FACTS * 1000) / batch.ms)}/s in one call, counter ${Math.round((FACTS * 1000) / counter.ms)}/s`,
  );
}

/** The first `n` of the intake's identities (the same every round) apply, 16 at a time. */
async function applyIntakeIdentities(n) {
  log(`applying ${n} of the intake's identities`);
  const items = labResults(0, n);
  for (let i = 0; i < n; i += 16)
    await Promise.all(
      items.slice(i, i + 16).map(async ({ idNumber }, j) => {
        const { idToken } = await call(origin, "POST", "/dev/id-token", {
          body: { sub: `bench-intake-${i + j}`, idType: "resident_id", idNumber },
        });
        await call(origin, "POST", "/v1/persons", {
          token: idToken,
          body: { name: "李四", idType: "resident_id", idNumber, phone: "13812345678", relationship: "self" },
        });
      }),
    );
}

/**
 * Lab results, for identities that have not applied unless --intake-applied made some apply (those
 * of others wait in D1 until their persons apply).
 */
function labResults(r, n) {
  const birth = (k) => `19${String(50 + (k % 50)).padStart(2, "0")}0${1 + (Math.floor(k / 50) % 9)}15`;
  return Array.from({ length: n }, (_, k) => ({
    sampleId: `R${r}-${String(k).padStart(6, "0")}`,
    idType: "resident_id",
    idNumber: residentId(k, birth(k)),
    name: "李四",
    test: "nucleic_acid",
    result: k % 50 === 0 ? "positive" : "negative",
    sampledAt: "2026-11-26T08:00:00Z",
    reportedAt: "2026-11-26T20:00:00Z",
  }));
}

async function intakeRound(r, acc, { labKey, labId }) {
  const rows = RESULTS;
  const batched = await call(origin, "POST", `/__bench/d1-batched?rows=${rows}&lab=raw-batched-${r}`);
  const single = await call(
    origin,
    "POST",
    `/__bench/d1-single?rows=${Math.min(rows, SINGLE_ROWS)}&lab=raw-single-${r}`,
  );
  acc.batched.push((batched.rows * 1000) / Math.max(1, batched.ms));
  acc.single.push((single.rows * 1000) / Math.max(1, single.ms));

  const items = labResults(r, rows);
  const before = (await call(origin, "GET", `/__bench/results-count?lab=${labId}`)).n;
  const started = performance.now();
  const chunks = [];
  for (let i = 0; i < items.length; i += 1000) chunks.push(items.slice(i, i + 1000));
  await Promise.all(
    chunks.map((results) => call(origin, "POST", "/v1/lab/results", { token: labKey, body: { results } })),
  );
  // Applied = every row in D1 and the sampled results held by their persons' objects for persons who
  // applied (the consumer writes D1 first, then the objects, and acks the message after both).
  const step = Math.max(1, Math.floor(rows / 40));
  const markers = items
    .filter((_, k) => k % step === step - 1 || k === rows - 1)
    .map((x) => ({ idNumber: x.idNumber, factId: `result:${labId}:${x.sampleId}` }));
  const deadline = started + 300_000;
  let stored = 0;
  let storedAt = Number.NaN;
  for (;;) {
    if (stored < rows) {
      stored = (await call(origin, "GET", `/__bench/results-count?lab=${labId}`)).n - before;
      if (stored >= rows) storedAt = performance.now();
    }
    if (stored >= rows) {
      const { applied } = await call(origin, "POST", "/__bench/applied", { body: markers });
      if (applied === markers.length) break;
    }
    if (performance.now() > deadline)
      throw new Error(`intake round ${r}: ${stored}/${rows} stored after 300 s`);
    await sleep(25);
  }
  const seconds = (performance.now() - started) / 1000;
  acc.intake.push(rows / seconds);
  // Profile: how much of the time went to D1 (all rows stored) and how much to the objects after it.
  acc.storedShare = [...(acc.storedShare ?? []), (storedAt - started) / 1000 / seconds];
  log(
    `round ${r} intake: ${Math.round(rows / seconds)} results/s; raw batched ${Math.round(acc.batched.at(-1))} rows/s; one row per statement ${Math.round(acc.single.at(-1))} rows/s`,
  );
}

function summarise(samples, hot, intake, landed) {
  const rounds = ROUNDS;
  const ceiling = samples.health;
  const ratioVsCeiling = (name) =>
    samples[name] ? round(median(samples[name].map((s, i) => s.rps / ceiling[i].rps)), 3) : null;
  const latency = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [
      k,
      { p50: median(v.map((s) => s.p50)), p99: median(v.map((s) => s.p99)) },
    ]),
  );
  const perSecond = (runs) => runs.map((x) => (FACTS * 1000) / Math.max(1, x.ms));
  // What each HTTP figure costs the runtime (all its threads) per request, median of rounds.
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, round(median(v.map((s) => s.cpuMsPerRequest)), 3)]),
  );
  latency.hot_person_call = {
    p50: median(hot.facts.map((x) => x.p50)),
    p99: median(hot.facts.map((x) => x.p99)),
  };
  latency.log_append_call = hot.log.length
    ? { p50: median(hot.log.map((x) => x.p50)), p99: median(hot.log.map((x) => x.p99)) }
    : null;
  latency.counter_call = {
    p50: median(hot.counter.map((x) => x.p50)),
    p99: median(hot.counter.map((x) => x.p99)),
  };
  const ratios = {
    verify_state: ratioVsCeiling("verify_state"),
    verify_signature: ratioVsCeiling("verify_signature"),
    code_refresh: ratioVsCeiling("code_refresh"),
    checkin: landed.checkin ? ratioVsCeiling("checkin") : null,
    checkin_new: samples.checkin_new ? ratioVsCeiling("checkin_new") : null,
    checkin_floor: samples.checkin_floor ? ratioVsCeiling("checkin_floor") : null,
    checkin_new_vs_floor: samples.checkin_new
      ? round(median(samples.checkin_new.map((s, i) => s.rps / samples.checkin_floor[i].rps)), 3)
      : null,
    intake_vs_batched: landed.intake
      ? round(median(intake.intake.map((v, i) => v / intake.batched[i])), 3)
      : null,
    intake_vs_single_row: landed.intake
      ? round(median(intake.intake.map((v, i) => v / intake.single[i])), 2)
      : null,
    hot_person_vs_counter: round(median(hot.facts.map((f, i) => hot.counter[i].ms / Math.max(1, f.ms))), 3),
    log_append_vs_counter: hot.log.length
      ? round(median(hot.log.map((f, i) => hot.logCounter[i].ms / Math.max(1, f.ms))), 3)
      : null,
    push_vs_ceiling: ratioVsCeiling("push"),
  };
  const throughput = {
    ...Object.fromEntries(
      Object.entries(samples).map(([k, v]) => [`${k}_rps`, round(median(v.map((s) => s.rps)), 0)]),
    ),
    ...(samples.checkin
      ? { checkin_new_visit_share: round(median(samples.checkin.map((s) => s.newVisitShare)), 2) }
      : {}),
    ...(samples.checkin_new
      ? { checkin_new_new_visit_share: round(median(samples.checkin_new.map((s) => s.newVisitShare)), 2) }
      : {}),
    push_messages_per_s: samples.push ? round(median(samples.push.map((s) => s.messagesPerSecond)), 0) : null,
    hot_person_facts_per_s: round(median(perSecond(hot.facts)), 0),
    counter_calls_per_s: round(median(perSecond(hot.counter)), 0),
    hot_person_color_changes: hot.colorChanges,
    log_append_entries_per_s: hot.log.length ? round(median(perSecond(hot.log)), 0) : null,
    log_append_direct_entries_per_s: hot.logDirect ? round(median(perSecond(hot.logDirect)), 0) : null,
    log_append_one_call_entries_per_s: hot.logBatch ? round(median(perSecond(hot.logBatch)), 0) : null,
    ...(landed.intake
      ? {
          intake_results_per_s: round(median(intake.intake), 0),
          raw_batched_rows_per_s: round(median(intake.batched), 0),
          raw_single_row_rows_per_s: round(median(intake.single), 0),
          intake_share_of_time_until_d1_rows_stored: round(median(intake.storedShare ?? []), 2),
        }
      : {}),
  };
  return {
    ratios,
    targets: TARGETS,
    pending: [
      ...(landed.checkin || !selected("checkin") ? [] : ["checkin"]),
      ...(landed.intake || !selected("intake") ? [] : ["intake_vs_batched", "intake_vs_single_row"]),
    ],
    latency_ms: latency,
    throughput,
    cpu_ms_per_request: cpuMsPerRequest,
    peak_rss_mb: null,
    params: {
      rounds,
      duration_s: DURATION,
      connections: CONNECTIONS,
      persons: PERSONS,
      facts: FACTS,
      results: RESULTS,
      intake_applied: INTAKE_APPLIED,
      only: ONLY,
    },
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? "unknown",
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      date: new Date().toISOString(),
      // Other work on the machine skews absolute figures; ratios are measured side by side in each round.
      loadavg_1m_before: round(loadBefore[0], 2),
      loadavg_1m_after: round(loadavg()[0], 2),
    },
  };
}

function printTable(results) {
  const { ratios, latency_ms: lat, throughput: t } = results;
  const rows = [
    ["GET /health (ceiling)", t.health_rps, "req/s", null, null, lat.health],
    ["POST /v1/verify (state)", t.verify_state_rps, "req/s", "verify_state", "× ceiling", lat.verify_state],
    [
      "POST /v1/verify?mode=signature",
      t.verify_signature_rps,
      "req/s",
      "verify_signature",
      "× ceiling",
      lat.verify_signature,
    ],
    ["GET /v1/persons/{id}/code", t.code_refresh_rps, "req/s", "code_refresh", "× ceiling", lat.code_refresh],
    ["POST /v1/checkins", t.checkin_rps, "req/s", "checkin", "× ceiling", lat.checkin],
    ["  every one a new visit", t.checkin_new_rps, "req/s", "checkin_new", "× ceiling", lat.checkin_new],
    [
      "  floor: 2 chained writes",
      t.checkin_floor_rps,
      "req/s",
      "checkin_floor",
      "× ceiling",
      lat.checkin_floor,
    ],
    [
      "intake (lab results applied)",
      t.intake_results_per_s,
      "results/s",
      "intake_vs_batched",
      "× raw batched",
      null,
    ],
    ["", t.raw_single_row_rows_per_s, "rows/s 1-row", "intake_vs_single_row", "× 1-row inserts", null],
    [
      "hot person (1 object)",
      t.hot_person_facts_per_s,
      "facts/s",
      "hot_person_vs_counter",
      "× bare counter",
      lat.hot_person_call,
    ],
    ["bare counter DO", t.counter_calls_per_s, "calls/s", null, null, lat.counter_call],
    [
      "public log append (sequenced)",
      t.log_append_entries_per_s,
      "entries/s",
      "log_append_vs_counter",
      "× bare counter",
      lat.log_append_call,
    ],
    ["Web Push to local receiver", t.push_messages_per_s, "msg/s", "push_vs_ceiling", "× ceiling", lat.push],
    ["rule-set preview (all persons)", t.rule_preview_persons_per_s, "persons/s", null, null, null],
  ];
  const fmt = (v) => (v === null || v === undefined ? "pending" : String(v));
  const lines = rows.map(([label, value, unit, key, against, l]) => {
    const ratio = key ? ratios[key] : null;
    const target = key ? results.targets[key] : undefined;
    const verdict = ratio === null || target === undefined ? "" : ratio >= target ? "ok" : "MISS";
    return [
      label.padEnd(32),
      `${fmt(value)} ${unit}`.padEnd(24),
      key ? `${fmt(ratio)} ${against}`.padEnd(26) : "".padEnd(26),
      target !== undefined ? `≥ ${target}`.padEnd(8) : "".padEnd(8),
      verdict.padEnd(5),
      l ? `p50 ${l.p50} ms, p99 ${l.p99} ms` : "",
    ].join(" ");
  });
  console.log(
    [
      `healthpass-edge bench: ${results.params.rounds} rounds × ${results.params.duration_s}s, ${results.params.connections} connections, ${results.machine.cpus} CPUs, Node ${results.machine.node}`,
      ...lines,
      ...(results.ratios.checkin_new_vs_floor !== null
        ? [
            `check-ins that are all new visits: ${results.ratios.checkin_new_vs_floor} × their floor (two chained writes in bare objects, same round)`,
          ]
        : []),
      ...(results.intake_freshness
        ? [
            ((f, tg) =>
              `intake freshness at ${f.posted_results_per_s} results/s posted (${f.offered_results_per_s} offered): until red p50 ${f.red_ms.p50} ms, p99 ${f.red_ms.p99} ms (≤ ${tg.intake_freshness_p99_ms} ${f.red_ms.p99 <= tg.intake_freshness_p99_ms ? "ok" : "MISS"}); push p50 ${f.push_ms.p50} ms, p99 ${f.push_ms.p99} ms; drain ${f.drain_ms} ms (≤ ${tg.intake_drain_ms} ${f.drain_ms <= tg.intake_drain_ms ? "ok" : "MISS"})`)(
              results.intake_freshness,
              results.targets,
            ),
          ]
        : []),
      ...(results.rule_preview
        ? [
            `rule-set preview: ${results.rule_preview.persons} persons in ${results.rule_preview.seconds} s (${results.rule_preview.changed} red → green)`,
          ]
        : []),
      ...(results.hot_venue
        ? [
            `hot venue (1 object): ${results.hot_venue.checkins_per_s} check-ins/s, ${results.hot_venue.vs_counter} × bare counter (target ≥ 0.5), ${results.hot_venue.lost} lost; the venue object's share alone ${results.hot_venue.venue_object_per_s}/s, ${results.hot_venue.venue_object_vs_counter} × counter; one read of each visitor's object ${results.hot_venue.visitor_objects_cold_read_vs_counter} × counter cold, ${results.hot_venue.visitor_objects_warm_read_vs_counter} × warm; one write to each of as many bare objects ${results.hot_venue.bare_objects_cold_write_vs_counter} × cold, ${results.hot_venue.bare_objects_warm_write_vs_counter} × warm`,
          ]
        : []),
      ...(results.designation
        ? [
            `designation over ${results.designation.visits} visits at ${results.designation.venues} venues: every visitor's exposure held after ${results.designation.ms_until_every_exposure_held} ms`,
          ]
        : []),
      `runtime CPU per request (ms, all workerd threads): ${Object.entries(results.cpu_ms_per_request)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
      `peak RSS of workerd: ${results.peak_rss_mb} MB${results.memory.per_1000_person_objects_mb !== undefined ? `; ${results.memory.per_1000_person_objects_mb} MB per 1,000 live person objects` : ""}`,
    ].join("\n"),
  );
}
