// `node bench/profile-checkin.mjs [--n 200]`: where a check-in's time goes. One request at a time (no
// concurrency), each phase of POST /v1/checkins alone through /__bench/phase/* beside the whole route
// and the cheapest routes, on the same runtime as `npm run bench`. Prints the median per request.
import { parseArgs } from "node:util";
import { call, seedPersons } from "./lib/fixtures.mjs";
import { median } from "./lib/load.mjs";
import { buildBundle, startRuntime } from "./lib/runtime.mjs";

const { values: flags } = parseArgs({
  options: { n: { type: "string", default: "200" }, "in-memory": { type: "boolean", default: false } },
});
const N = 2 * Math.max(10, Math.round((Number(flags.n) || 200) / 2));

const bundle = buildBundle();
const runtime = await startRuntime(bundle.script, { inMemory: flags["in-memory"] });
const { origin } = runtime;
try {
  const [p] = await seedPersons(origin, 1);
  const venues = [];
  // One account registers at most 20 venues (issue 15's abuse limit): an owner account per 20.
  let owner = null;
  for (let v = 0; v < N; v++) {
    if (v % 20 === 0)
      owner = (await call(origin, "POST", "/dev/id-token", { body: { sub: `profile-owner-${v}` } })).idToken;
    venues.push(
      await call(origin, "POST", "/v1/venues", {
        token: owner,
        body: {
          name: `Profile ${v}`,
          category: "market",
          address: "锦江区春熙路1号",
          districtCode: "510104",
        },
      }),
    );
  }
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
    "phase: person new visit (DO write)": () => ({
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
} finally {
  await runtime.dispose();
  bundle.cleanup();
}
