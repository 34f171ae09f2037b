// `node bench/profile-memory.mjs [--n 1000]`: where a live person object's memory goes. Initialises
// `--n` person objects (as the bench's memory figure does) in a fresh runtime and prints workerd's
// resident memory and the worker isolate's V8 heap (through the inspector) before and after: what the
// heap does not explain is native (each object's SQLite connection and its page cache, the runtime's
// per-object state).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { freePort, inspect } from "./lib/cpu-profile.mjs";
import { call } from "./lib/fixtures.mjs";
import { buildBundle, startMemorySampler, startRuntime, workerdPids } from "./lib/runtime.mjs";

const { values: flags } = parseArgs({ options: { n: { type: "string", default: "1000" } } });
const N = Number(flags.n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Resident memory by kind (MB, all workerd processes): anonymous (heaps, caches), file-backed, shared. */
const rssKinds = () => {
  const sum = { RssAnon: 0, RssFile: 0, RssShmem: 0 };
  for (const pid of workerdPids()) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    for (const k of Object.keys(sum))
      sum[k] += Number(status.match(new RegExp(`^${k}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) / 1024;
  }
  return sum;
};

const bundle = buildBundle();
const inspectorPort = await freePort();
const runtime = await startRuntime(bundle.script, { inspectorPort });
const memory = startMemorySampler();
try {
  await call(runtime.origin, "GET", "/health");
  const cdp = await inspect(inspectorPort);
  const heap = async () => {
    const { usedSize, totalSize } = (await cdp.send("Runtime.getHeapUsage")).result;
    return { usedMb: usedSize / 2 ** 20, totalMb: totalSize / 2 ** 20 };
  };
  await sleep(2000);
  const before = { rss: memory.nowMb(), ...(await heap()), kinds: rssKinds() };
  const seeded = await call(runtime.origin, "POST", `/__bench/seed-persons?n=${N}&name=memory`);
  await sleep(3000);
  const after = { rss: memory.nowMb(), ...(await heap()), kinds: rssKinds() };
  const per = (a, b) => (((b - a) * 1000) / N).toFixed(1);
  console.log(`${N} person objects initialised in ${seeded.ms} ms`);
  console.log(`workerd VmRSS: ${before.rss} → ${after.rss} MB (${per(before.rss, after.rss)} MB per 1,000)`);
  console.log(
    `V8 heap used: ${before.usedMb.toFixed(1)} → ${after.usedMb.toFixed(1)} MB (${per(before.usedMb, after.usedMb)} MB per 1,000); heap reserved ${before.totalMb.toFixed(1)} → ${after.totalMb.toFixed(1)} MB`,
  );
  for (const k of Object.keys(before.kinds))
    console.log(
      `${k}: ${before.kinds[k].toFixed(1)} → ${after.kinds[k].toFixed(1)} MB (${per(before.kinds[k], after.kinds[k])} MB per 1,000)`,
    );
  cdp.close();
} finally {
  memory.stop();
  await runtime.dispose();
  bundle.cleanup();
}
