// A V8 CPU profile of the worker's isolate through workerd's inspector (Chrome DevTools protocol),
// and a summary of it: the functions with the most self time and the most inclusive time.
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A CDP session on the first inspector target whose title names the worker (not a D1 or queue service). */
export async function inspect(port) {
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

/** Starts sampling (every 200 µs); `stop()` returns the profile. */
export async function startProfile(port) {
  const cdp = await inspect(port);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  return {
    targets: cdp.targets,
    async stop() {
      const { profile } = (await cdp.send("Profiler.stop")).result;
      cdp.close();
      return profile;
    },
  };
}

/** Self and inclusive ms per function name from a V8 CPU profile. */
export function summarise(profile, top = { self: 30, inclusive: 60 }) {
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
    if (node.callFrame.functionName === "(idle)") idle += ms;
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
  const list = (m, k) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([f, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${f}`);
  return { total, idle, self: list(selfBy, top.self), inclusive: list(inclBy, top.inclusive) };
}

/** Writes the profile to a temporary file (for DevTools: Performance → Load profile) and prints its summary. */
export function report(profile, label) {
  const file = join(tmpdir(), `${label}-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`profile written to ${file}`);
  const s = summarise(profile);
  console.log(`worker isolate: ${s.total.toFixed(0)} ms sampled, ${s.idle.toFixed(0)} ms idle`);
  console.log("self time:");
  for (const line of s.self) console.log(line);
  console.log("inclusive time:");
  for (const line of s.inclusive) console.log(line);
}
