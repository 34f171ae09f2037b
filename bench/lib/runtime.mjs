// The service under test: the bench bundle (production worker + bench/worker.ts) built by wrangler's
// dry run and run on workerd through the Miniflare API, with local D1, Durable Objects and Queues,
// bound to a loopback port. Never `wrangler dev`: its proxy is about ten times slower than workerd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { generateDevSecrets } from "../../scripts/dev-secrets.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;

/** `wrangler deploy --dry-run`: the exact bundle production would run, plus the bench wrapper. */
export function buildBundle() {
  const outdir = mkdtempSync(join(tmpdir(), "healthpass-bench-build-"));
  const built = spawnSync(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--outdir", outdir, "--config", "bench/wrangler.bench.toml"],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } },
  );
  if (built.status !== 0) throw new Error(`wrangler build failed:\n${built.stdout}\n${built.stderr}`);
  return {
    script: join(outdir, "worker.js"),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/**
 * Miniflare options from ../wrangler.toml itself (vars, D1, Durable Objects, queues with their consumer
 * settings), so the bench follows the production configuration as it changes; plus the bench-only counter.
 * Static assets are left out: no measured path serves them.
 */
async function optionsFromWranglerToml() {
  const { rawConfig: c } = await experimental_readRawConfig({ config: join(ROOT, "wrangler.toml") });
  const sqliteClasses = new Set((c.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  const durableObjects = Object.fromEntries(
    (c.durable_objects?.bindings ?? []).map((b) => [
      b.name,
      { className: b.class_name, useSQLite: sqliteClasses.has(b.class_name) },
    ]),
  );
  return {
    compatibilityDate: c.compatibility_date,
    compatibilityFlags: c.compatibility_flags ?? [],
    vars: c.vars ?? {},
    d1Databases: Object.fromEntries(
      (c.d1_databases ?? []).map((d) => [d.binding, `bench-${d.database_name}`]),
    ),
    durableObjects: { ...durableObjects, BENCH_COUNTER: { className: "BenchCounter", useSQLite: true } },
    queueProducers: Object.fromEntries((c.queues?.producers ?? []).map((q) => [q.binding, q.queue])),
    queueConsumers: Object.fromEntries(
      (c.queues?.consumers ?? []).map((q) => [
        q.queue,
        {
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: q.max_batch_timeout,
          maxRetries: q.max_retries,
          retryDelay: q.retry_delay,
          deadLetterQueue: q.dead_letter_queue,
        },
      ]),
    ),
  };
}

export async function startRuntime(scriptPath, { inMemory = false } = {}) {
  const persist = mkdtempSync(join(tmpdir(), "healthpass-bench-state-"));
  const o = await optionsFromWranglerToml();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new Log(LogLevel.WARN),
      // On disk, as local development keeps it (--in-memory: Miniflare's in-memory storage, no fsync).
      ...(inMemory ? {} : { resourcePersistencePath: persist }),
      modules: true,
      scriptPath,
      // Module names are relative to this root; the bundle lives in a temporary directory.
      modulesRoot: dirname(scriptPath),
      compatibilityDate: o.compatibilityDate,
      compatibilityFlags: o.compatibilityFlags,
      // Development mode: the seeded lab key and the development identity provider.
      bindings: { ...o.vars, DEV_MODE: "true", ...(await generateDevSecrets()) },
      d1Databases: o.d1Databases,
      durableObjects: o.durableObjects,
      queueProducers: o.queueProducers,
      queueConsumers: o.queueConsumers,
    }),
  );
  const url = await mf.ready;
  await applyMigrations(await mf.getD1Database("DB"));
  return {
    mf,
    origin: url.origin,
    async dispose() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** The top-level .sql files of schema/migrations in order, statement by statement (drizzle-kit format). */
async function applyMigrations(db) {
  const dir = join(ROOT, "schema/migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const sql of statements) await db.prepare(sql).run();
  }
}

/** Processes below this one named workerd (Miniflare spawns the runtime as a child). */
function workerdPids() {
  const parent = new Map();
  const names = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parent.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      /* exited while we looked */
    }
  }
  const descends = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  return [...names].filter(([pid, name]) => name.startsWith("workerd") && descends(pid)).map(([pid]) => pid);
}

function statusKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples the runtime's resident memory; the kernel's high-water mark (VmHWM) catches peaks between samples. */
export function startMemorySampler(intervalMs = 250) {
  let peakSampledKb = 0;
  let peakHwmKb = 0;
  let pids = [];
  const sample = () => {
    pids = workerdPids();
    const rss = pids.reduce((s, pid) => s + statusKb(pid, "VmRSS"), 0);
    const hwm = pids.reduce((s, pid) => s + statusKb(pid, "VmHWM"), 0);
    peakSampledKb = Math.max(peakSampledKb, rss);
    peakHwmKb = Math.max(peakHwmKb, hwm);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return {
        processes: pids.length,
        peak_rss_mb: Math.round(Math.max(peakSampledKb, peakHwmKb) / 102.4) / 10,
        peak_sampled_rss_mb: Math.round(peakSampledKb / 102.4) / 10,
      };
    },
  };
}
