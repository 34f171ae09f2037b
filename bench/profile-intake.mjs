// `node bench/profile-intake.mjs [--rate 1000] [--seconds 3] [--batch 50] [--serial 30]`: where lab
// intake's time goes, on the same runtime as `npm run bench`.
// 1. `--serial` POSTs of `--batch` new results one at a time (the route's latency with nothing else
//    queued), then the same number of POSTs of already-stored samples (the duplicate path).
// 2. A V8 CPU profile of the worker's isolate (routes, the intake consumer and the person objects
//    run there; D1 and the queue broker are other services of the same workerd process) while
//    results are posted at `--rate` for `--seconds`, until every row is in D1: the functions with the
//    most self time and the inclusive time of the intake's own functions.
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { call, residentId, seed } from "./lib/fixtures.mjs";
import { prepareFreshness, runFreshness } from "./lib/freshness.mjs";
import { median } from "./lib/load.mjs";
import { startPushReceiver } from "./lib/receiver.mjs";
import { buildBundle, startMemorySampler, startRuntime } from "./lib/runtime.mjs";

const { values: flags } = parseArgs({
  options: {
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "3" },
    batch: { type: "string", default: "50" },
    serial: { type: "string", default: "30" },
    // Profile the bench's freshness run instead (a tenth of the results for persons who applied and
    // subscribed to push, who turn red), from the first POST until every push has arrived.
    freshness: { type: "boolean", default: false },
  },
});
const RATE = Number(flags.rate);
const SECONDS = Number(flags.seconds);
const BATCH = Number(flags.batch);
const SERIAL = Number(flags.serial);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

let sampleSeq = 0;
const at = new Date(Date.now() - 3_600_000).toISOString();
const results = (n) =>
  Array.from({ length: n }, () => {
    const k = sampleSeq++;
    return {
      sampleId: `P-${String(k).padStart(7, "0")}`,
      idType: "resident_id",
      idNumber: residentId(k, `19${60 + (Math.floor(k / 1000) % 40)}0101`, "510108"),
      name: "王五",
      test: "nucleic_acid",
      result: "negative",
      sampledAt: at,
      reportedAt: new Date().toISOString(),
    };
  });

/** A CDP session on the first inspector target whose title names the worker (not a D1 or queue service). */
async function inspect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find((t) => /core:user/.test(t.id ?? t.title ?? "")) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r, j) => ws.once("open", r).once("error", j));
  let id = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)(msg);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { targets: targets.map((t) => t.title ?? t.id), send, close: () => ws.close() };
}

/** Self and inclusive ms per function name from a V8 CPU profile. */
function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) =>
    `${n.callFrame.functionName || "(anonymous)"} ${(n.callFrame.url || "").split("/").pop()}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map();
  const inclBy = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    total += ms;
    if (["(idle)", "(program)", "(garbage collector)"].includes(node.callFrame.functionName)) {
      if (node.callFrame.functionName === "(idle)") idle += ms;
    }
    selfBy.set(name(node), (selfBy.get(name(node)) ?? 0) + ms);
    // Inclusive: each distinct function on the stack once.
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const key = name(byId.get(p));
      if (seen.has(key)) continue;
      seen.add(key);
      inclBy.set(key, (inclBy.get(key) ?? 0) + ms);
    }
  }
  const top = (m, k) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([f, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${f}`);
  return { total, idle, self: top(selfBy, 30), inclusive: top(inclBy, 60) };
}

function report(profile) {
  // For a closer look (e.g. in Chrome's DevTools, Performance → Load profile).
  const file = join(tmpdir(), `intake-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`profile written to ${file}`);
  const s = summarise(profile);
  console.log(`worker isolate: ${s.total.toFixed(0)} ms sampled, ${s.idle.toFixed(0)} ms idle`);
  console.log("self time:");
  for (const line of s.self) console.log(line);
  console.log("inclusive time:");
  for (const line of s.inclusive) console.log(line);
}

const bundle = buildBundle();
const inspectorPort = await freePort();
const runtime = await startRuntime(bundle.script, { inspectorPort });
const { origin } = runtime;
try {
  const dev = await seed(origin);
  const { labKey } = dev;
  if (flags.freshness) {
    const receiver = await startPushReceiver();
    const memory = startMemorySampler();
    const prepared = await prepareFreshness(origin, receiver, memory, Math.floor((RATE * SECONDS) / 10));
    const cdp = await inspect(inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    const run = await runFreshness(origin, receiver, prepared, dev, {
      rate: RATE,
      seconds: SECONDS,
      batch: BATCH,
    });
    const { profile } = (await cdp.send("Profiler.stop")).result;
    cdp.close();
    memory.stop();
    await receiver.close();
    console.log(JSON.stringify(run));
    report(profile);
  } else await serialAndBurst(origin, labKey, inspectorPort);
} finally {
  await runtime.dispose();
  bundle.cleanup();
}

async function serialAndBurst(origin, labKey, inspectorPort) {
  const post = (body) => call(origin, "POST", "/v1/lab/results", { token: labKey, body: { results: body } });
  // Warm the isolate.
  for (let i = 0; i < 5; i++) await post(results(BATCH));

  const fresh = [];
  const sent = [];
  for (let i = 0; i < SERIAL; i++) {
    const body = results(BATCH);
    sent.push(body);
    const t0 = performance.now();
    await post(body);
    fresh.push(performance.now() - t0);
  }
  await sleep(3000);
  const dup = [];
  for (const body of sent) {
    const t0 = performance.now();
    const r = await post(body);
    dup.push(performance.now() - t0);
    if (r.duplicates !== body.length) console.log(`duplicates answered ${r.duplicates} of ${body.length}`);
  }
  console.log(`serial POST of ${BATCH} new results: median ${median(fresh).toFixed(1)} ms`);
  console.log(`serial POST of ${BATCH} stored results (duplicates): median ${median(dup).toFixed(1)} ms`);

  const cdp = await inspect(inspectorPort);
  console.log(`inspector targets: ${cdp.targets.join(", ")}`);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const before = (await call(origin, "GET", "/__bench/results-count?lab=lab_demo")).n;
  const total = RATE * SECONDS;
  const interval = (BATCH * 1000) / RATE;
  const start = Date.now();
  const answered = [];
  for (let t = 0; t * BATCH < total; t++) {
    const wait = start + t * interval - Date.now();
    if (wait > 0) await sleep(wait);
    answered.push(post(results(BATCH)).then(() => Date.now()));
  }
  const lastPost = Date.now();
  const lastAnswered = Math.max(...(await Promise.all(answered)));
  let storedAt = 0;
  while (!storedAt) {
    const n = (await call(origin, "GET", "/__bench/results-count?lab=lab_demo")).n - before;
    if (n >= total) storedAt = Date.now();
    else await sleep(50);
  }
  const { profile } = (await cdp.send("Profiler.stop")).result;
  cdp.close();

  console.log(
    `${total} results at ${RATE}/s: last POST answered ${lastAnswered - lastPost} ms after sent, all rows in D1 ${storedAt - lastPost} ms after the last POST`,
  );
  report(profile);
}
