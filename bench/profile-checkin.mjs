// `node bench/profile-checkin.mjs [--n 200]`: where a check-in's time goes. One request at a time (no
// concurrency), each phase of POST /v1/checkins alone through /__bench/phase/* beside the whole route
// and the cheapest routes, on the same runtime as `npm run bench`. Prints the median per request.
// `--load 5`: instead, a V8 CPU profile of the worker's isolate while the bench's `checkin` load runs
// for that many seconds (`--persons` 8 × `--n` venues, a random pair each request, 32 connections).
// `--new` with `--load`: every check-in a new visit at a venue whose object exists (`checkin_new`).
// `--split 5`: the runtime's CPU time per request (all workerd threads, /proc) under that load for
// that many seconds each: `/health`, a code refresh, check-ins that are all repeats, then new visits
// at venue objects that exist and at venues never visited (their objects created by the visit); the
// cost of a new visit is taken out of each mix with the share of 201s and the repeats' cost.
import { parseArgs } from "node:util";
import { freePort, report, startProfile } from "./lib/cpu-profile.mjs";
import { call, registerVenues, seedPersons, visitEach } from "./lib/fixtures.mjs";
import { hammer, median, newVisitWalk, randomCheckIns } from "./lib/load.mjs";
import { buildBundle, runtimeCpuMs, startRuntime } from "./lib/runtime.mjs";

const { values: flags } = parseArgs({
  options: {
    n: { type: "string", default: "200" },
    "in-memory": { type: "boolean", default: false },
    load: { type: "string" },
    split: { type: "string" },
    persons: { type: "string", default: "8" },
    // With --load: every check-in a new visit (bench's checkin_new walk), each venue's object created first.
    new: { type: "boolean", default: false },
  },
});
const N = 2 * Math.max(10, Math.round((Number(flags.n) || 200) / 2));

const bundle = buildBundle();
const inspectorPort = flags.load ? await freePort() : undefined;
const runtime = await startRuntime(bundle.script, { inMemory: flags["in-memory"], inspectorPort });
const { origin } = runtime;
try {
  const persons = await seedPersons(origin, flags.load || flags.split ? Number(flags.persons) : 1);
  const [p] = persons;
  const venues = await registerVenues(origin, N, { owner: "profile-owner", name: (v) => `Profile ${v}` });
  if (flags.load) {
    await profileUnderLoad(persons, venues, Number(flags.load));
  } else if (flags.split) {
    await cpuSplit(persons, venues, Number(flags.split));
  } else await phases(p, venues);
} finally {
  await runtime.dispose();
  bundle.cleanup();
}

/** Each phase alone, one request at a time: the median ms per request. */
async function phases(p, venues) {
  const auth = { authorization: `Bearer ${p.idToken}`, "content-type": "application/json" };
  const checkin = (placeCode) => ({
    method: "POST",
    path: "/v1/checkins",
    headers: auth,
    body: JSON.stringify({ placeCode, personId: p.personId }),
  });
  const q = (params) => new URLSearchParams(params).toString();
  const v0 = venues[0];
  // Venue objects created before the new visits that are timed at existing objects.
  for (const v of venues.slice(N / 2))
    await call(origin, "GET", `/__bench/phase/venue-object?venue=${v.venueId}`);
  const phases = {
    "GET /health": () => ({ path: "/health" }),
    "GET /v1/persons": () => ({ path: "/v1/persons", headers: auth }),
    "check-in, new visit, new venue object": (i) => checkin(venues[i % (N / 2)].placeCode),
    "check-in, new visit, existing object": (i) => checkin(venues[N / 2 + (i % (N / 2))].placeCode),
    "check-in, repeat": () => checkin(v0.placeCode),
    "phase: place-code signature": () => ({ path: `/__bench/phase/place?${q({ code: v0.placeCode })}` }),
    "phase: binding (D1)": () => ({
      path: `/__bench/phase/binding?${q({ account: "acc", person: p.personId })}`,
    }),
    "phase: venue (D1)": () => ({ path: `/__bench/phase/venue?${q({ venue: v0.venueId })}` }),
    "phase: venue (cache)": () => ({ path: `/__bench/phase/venue-cached?${q({ venue: v0.venueId })}` }),
    "phase: venue object (DO)": () => ({ path: `/__bench/phase/venue-object?${q({ venue: v0.venueId })}` }),
    "phase: person summary (DO)": () => ({ path: `/__bench/phase/summary?${q({ person: p.personId })}` }),
    "phase: new visit via person (both DOs)": () => ({
      path: `/__bench/phase/person-record?${q({ person: p.personId })}`,
    }),
    "phase: venue new visit (DO write)": () => ({
      path: `/__bench/phase/venue-record?${q({ venue: v0.venueId })}`,
    }),
  };
  for (const [name, make] of Object.entries(phases)) {
    const times = [];
    for (let i = 0; i < (name.startsWith("check-in, new") ? N / 2 : N); i++) {
      const { path, method = "GET", headers, body } = make(i);
      const t0 = performance.now();
      const res = await fetch(`${origin}${path}`, { method, headers, body });
      await res.text();
      if (!res.ok) throw new Error(`${name}: ${res.status}`);
      times.push(performance.now() - t0);
    }
    console.log(`${name.padEnd(40)} ${median(times.slice(5)).toFixed(2)} ms`);
  }
}

/** The bench's check-in load (a random person × venue each request) under the profiler. */
async function profileUnderLoad(persons, venues, seconds) {
  const places = venues.map((v) => v.placeCode);
  if (flags.new) {
    const [opener] = await seedPersons(origin, 1, { first: persons.length });
    await visitEach(origin, opener, places);
  }
  const requests = flags.new ? newVisitWalk(persons, places) : randomCheckIns(persons, places);
  const load = (duration) =>
    hammer(`${origin}/v1/checkins`, { method: "POST", requests, connections: 32, duration });
  await hammer(`${origin}/health`, { connections: 32, duration: 2 });
  const health = await hammer(`${origin}/health`, { connections: 32, duration: seconds });
  await load(2); // as the bench warms up
  const profiler = await startProfile(inspectorPort);
  const res = await load(seconds);
  const profile = await profiler.stop();
  console.log(
    `health ${Math.round(health.rps)} req/s; check-in ${Math.round(res.rps)} req/s (${(res.rps / health.rps).toFixed(3)} × health), ${Math.round((100 * res.status201) / res.requests)} % new visits, p99 ${res.p99} ms`,
  );
  report(profile, "checkin");
}

/** CPU time of the runtime per request, by kind of check-in (`--split`). */
async function cpuSplit(persons, venues, seconds) {
  const measure = async (url, opts = {}) => {
    await hammer(url, { connections: 32, duration: 2, ...opts });
    await new Promise((r) => setTimeout(r, 1500));
    const before = runtimeCpuMs();
    const res = await hammer(url, { connections: 32, duration: seconds, ...opts });
    return { ...res, cpu: (runtimeCpuMs() - before) / res.requests, newShare: res.status201 / res.requests };
  };
  const placesOf = (vs) => vs.map((v) => v.placeCode);
  const checkins = (vs) => ({ method: "POST", requests: randomCheckIns(persons, placesOf(vs)) });
  const [p] = persons;
  const repeatVenues = venues.slice(0, 8);
  const existing = venues.slice(8, 8 + Math.floor((venues.length - 8) / 2));
  const fresh = venues.slice(8 + existing.length);
  // Every pair of the repeats' venues visited once; each venue of `existing` visited by someone else.
  for (const who of persons) await visitEach(origin, who, placesOf(repeatVenues));
  const [other] = await seedPersons(origin, 1, { first: persons.length });
  await visitEach(origin, other, placesOf(existing));

  const health = await measure(`${origin}/health`);
  const code = await measure(`${origin}/v1/persons/${p.personId}/code`, {
    headers: { authorization: `Bearer ${p.idToken}` },
  });
  const repeats = await measure(`${origin}/v1/checkins`, checkins(repeatVenues));
  const atExisting = await measure(`${origin}/v1/checkins`, checkins(existing));
  const atFresh = await measure(`${origin}/v1/checkins`, checkins(fresh));
  // Too few new visits in the window (the warm-up used up the pairs: use more `--n` venues) say nothing.
  const newCost = (mix) =>
    mix.newShare < 0.05
      ? "not measurable (too few new visits: raise --n)"
      : `${((mix.cpu - (1 - mix.newShare) * repeats.cpu) / mix.newShare).toFixed(2)} ms`;
  const line = (name, r, extra = "") =>
    console.log(
      `${name.padEnd(44)} ${String(Math.round(r.rps)).padStart(5)} req/s  ${r.cpu.toFixed(3)} ms CPU/request (${(r.cpu / health.cpu).toFixed(1)} × /health)${extra}`,
    );
  line("GET /health", health);
  line("GET /v1/persons/{id}/code", code);
  line("check-in, every one a repeat", repeats);
  for (const [name, mix] of [
    ["check-in, new visits at existing venue objects", atExisting],
    ["check-in, new visits at venues never visited", atFresh],
  ])
    line(name, mix, `; ${Math.round(100 * mix.newShare)} % new → a new visit ${newCost(mix)}`);
}
