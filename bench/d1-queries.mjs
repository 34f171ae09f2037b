// D1 statements per request on the hot paths (issue 15): each request is sent with
// `x-bench-d1-count`, which bench/worker.ts answers by running the worker over an env whose D1
// bindings count what they run (workers/lib/d1-probe.ts) and returning the count in `x-d1-queries`.
// Counted in the Worker; the person object's own reads are proven 0 by tests/routes/hot-paths.d1.test.ts.
import { call } from "./lib/fixtures.mjs";

async function counted(origin, method, path, { token, body } = {}) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      "x-bench-d1-count": "1",
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
  return Number(res.headers.get("x-d1-queries") ?? Number.NaN);
}

/** Mean D1 statements per request after one warm-up request each (steady state), per hot path. */
export async function d1QueriesPerRequest(origin, persons) {
  const { placeCode } = await call(origin, "POST", "/v1/venues", {
    token: persons[0].idToken,
    body: { name: "D1 count market", category: "market", address: "锦江区春熙路2号", districtCode: "510104" },
  });
  const paths = {
    code_refresh: (p) => counted(origin, "GET", `/v1/persons/${p.personId}/code`, { token: p.idToken }),
    verify_state: (p) => counted(origin, "POST", "/v1/verify", { body: { token: p.code } }),
    checkin: (p) =>
      counted(origin, "POST", "/v1/checkins", {
        token: p.idToken,
        body: { placeCode, personId: p.personId },
      }),
  };
  const out = {};
  for (const [name, send] of Object.entries(paths)) {
    // Warm-up: bounded caches (keys, issuers, the venue row) fill on an isolate's first request.
    await send(persons[0]);
    let total = 0;
    // A check-in repeated within two minutes is the same visit: each person checks in once here.
    const sample = name === "checkin" ? persons.slice(1) : persons;
    for (const p of sample) total += await send(p);
    out[name] = sample.length > 0 ? total / sample.length : null;
  }
  return out;
}
