// The service under test: the bench bundle (production worker + bench/worker.ts) built by wrangler's
// dry run and run on workerd through the Miniflare API, with local D1, Durable Objects and Queues,
// bound to a loopback port. Never `wrangler dev`: its proxy is about ten times slower than workerd.
import { readdirSync, readFileSync } from "node:fs";
import { buildBundle as build, startLocalRuntime } from "../../scripts/lib/local-runtime.mjs";

/** `wrangler deploy --dry-run` of the production worker plus the bench wrapper (bench/worker.ts). */
export const buildBundle = () => build("bench/wrangler.bench.toml");

/** The local runtime of scripts/lib/local-runtime.mjs, plus the bench-only counter object. */
export const startRuntime = (scriptPath, { inMemory = false, inspectorPort = undefined } = {}) =>
  startLocalRuntime(scriptPath, {
    inMemory,
    inspectorPort,
    durableObjects: { BENCH_COUNTER: { className: "BenchCounter", useSQLite: true } },
  });

/** Processes below this one named workerd (Miniflare spawns the runtime as a child). */
export function workerdPids() {
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

/**
 * CPU time (user + system, ms) the runtime's processes have used so far, all threads: the difference
 * over a load run, per request, is what a request costs the runtime whatever the machine's other load.
 */
export function runtimeCpuMs() {
  let ticks = 0;
  for (const pid of workerdPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited */
    }
  }
  // Clock ticks are 1/100 s on Linux (USER_HZ).
  return ticks * 10;
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
    /** Resident memory of the runtime now, MB (for deltas such as memory per 1,000 objects). */
    nowMb() {
      const kb = workerdPids().reduce((s, pid) => s + statusKb(pid, "VmRSS"), 0);
      return Math.round(kb / 102.4) / 10;
    },
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
