// `node bench/profile-intake.mjs [--rate 1000] [--seconds 3] [--batch 50] [--serial 30]`: where lab
// intake's time goes, on the same runtime as `npm run bench`.
// 1. `--serial` POSTs of `--batch` new results one at a time (the route's latency with nothing else
//    queued), then the same number of POSTs of already-stored samples (the duplicate path).
// 2. A V8 CPU profile of the worker's isolate (routes, the intake consumer and the person objects
//    run there; D1 and the queue broker are other services of the same workerd process) while
//    results are posted at `--rate` for `--seconds`, until every row is in D1: the functions with the
//    most self time and the inclusive time of the intake's own functions.
import { parseArgs } from "node:util";
import { freePort, report, startProfile } from "./lib/cpu-profile.mjs";
import { call, residentId, seed } from "./lib/fixtures.mjs";
import { prepareFreshness, runFreshness } from "./lib/freshness.mjs";
import { median } from "./lib/load.mjs";
import { startPushReceiver } from "./lib/receiver.mjs";
import { buildBundle, startRuntime } from "./lib/runtime.mjs";

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

const bundle = buildBundle();
const inspectorPort = await freePort();
const runtime = await startRuntime(bundle.script, { inspectorPort });
const { origin } = runtime;
try {
  const dev = await seed(origin);
  const { labKey } = dev;
  if (flags.freshness) {
    const receiver = await startPushReceiver();
    const prepared = await prepareFreshness(origin, receiver, Math.floor((RATE * SECONDS) / 10));
    const profiler = await startProfile(inspectorPort);
    const run = await runFreshness(origin, receiver, prepared, dev, {
      rate: RATE,
      seconds: SECONDS,
      batch: BATCH,
    });
    const profile = await profiler.stop();
    await receiver.close();
    console.log(JSON.stringify(run));
    report(profile, "intake");
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

  const profiler = await startProfile(inspectorPort);
  console.log(`inspector targets: ${profiler.targets.join(", ")}`);
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
  const profile = await profiler.stop();

  console.log(
    `${total} results at ${RATE}/s: last POST answered ${lastAnswered - lastPost} ms after sent, all rows in D1 ${storedAt - lastPost} ms after the last POST`,
  );
  report(profile, "intake");
}
