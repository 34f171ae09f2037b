// `node bench/profile-checkin.mjs [--n 200]`: where a check-in's time goes. One request at a time (no
// concurrency), each phase of POST /v1/checkins alone through /__bench/phase/* beside the whole route
// and the cheapest routes, on the same runtime as `npm run bench`. Prints the median per request.
import { parseArgs } from "node:util";
import { call, seedPersons } from "./lib/fixtures.mjs";
import { median } from "./lib/load.mjs";
import { buildBundle, startRuntime } from "./lib/runtime.mjs";

const { values: flags } = parseArgs({ options: { n: { type: "string", default: "200" } } });
const N = Math.max(10, Number(flags.n) || 200);

const bundle = buildBundle();
const runtime = await startRuntime(bundle.script);
const { origin } = runtime;
try {
  const [p] = await seedPersons(origin, 1);
  const venues = [];
  for (let v = 0; v < N; v++) {
    venues.push(
      await call(origin, "POST", "/v1/venues", {
        token: p.idToken,
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
  const phases = {
    "GET /health": () => ({ path: "/health" }),
    "GET /v1/persons": () => ({ path: "/v1/persons", headers: auth }),
    "check-in, new visit": (i) => checkin(venues[i].placeCode),
    "check-in, repeat": () => checkin(v0.placeCode),
    "phase: place-code signature": () => ({ path: `/__bench/phase/place?${q({ code: v0.placeCode })}` }),
    "phase: binding (D1)": () => ({
      path: `/__bench/phase/binding?${q({ account: "acc", person: p.personId })}`,
    }),
    "phase: venue (D1)": () => ({ path: `/__bench/phase/venue?${q({ venue: v0.venueId })}` }),
    "phase: venue (cache)": () => ({ path: `/__bench/phase/venue-cached?${q({ venue: v0.venueId })}` }),
    "phase: venue object (DO)": () => ({ path: `/__bench/phase/venue-object?${q({ venue: v0.venueId })}` }),
    "phase: person summary (DO)": () => ({ path: `/__bench/phase/summary?${q({ person: p.personId })}` }),
  };
  for (const [name, make] of Object.entries(phases)) {
    const times = [];
    for (let i = 0; i < N; i++) {
      const { path, method = "GET", headers, body } = make(i);
      const t0 = performance.now();
      const res = await fetch(`${origin}${path}`, { method, headers, body });
      await res.text();
      if (!res.ok) throw new Error(`${name}: ${res.status}`);
      times.push(performance.now() - t0);
    }
    console.log(`${name.padEnd(30)} ${median(times.slice(5)).toFixed(2)} ms`);
  }
} finally {
  await runtime.dispose();
  bundle.cleanup();
}
