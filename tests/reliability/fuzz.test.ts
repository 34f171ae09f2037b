/**
 * Property-based fuzzing of every JSON endpoint in the OpenAPI document, with a caller the route
 * admits (so validation, not authentication, is what is exercised). Bodies: arbitrary JSON, raw
 * text that is not JSON, and near-valid bodies derived from a valid one (fields dropped, wrong types,
 * huge and odd unicode strings, extreme numbers, nested garbage, prototype keys).
 * Properties: never a 5xx; every error is problem+json with type/title/status/detail; a rejected
 * request writes nothing (row counts of every D1 table, and the target person's state version).
 * FUZZ_RUNS (default 10,000) is the total number of generated bodies, spread over the routes.
 */
import fc from "fast-check";
import { base64url } from "jose";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { openApiDocument } from "../../workers/index";
import { call, env, ORIGIN } from "../helpers/api";
import { MATRIX } from "./auth-matrix.table";
import { countChanges, d1Tables, rowCounter } from "./helpers/db";
import { concretePath, sampleRequest, VALID_BODIES } from "./helpers/routes";
import { CALLERS, type CallerName, createWorld, DISTRICT, type World } from "./helpers/world";

// From the environment of `npm run test:reliability` (vitest.reliability.config.ts provides them).
const TOTAL_RUNS = Number(inject("fuzzRuns") || 10_000);
const SEED = inject("fuzzSeed") ? Number(inject("fuzzSeed")) : undefined;

type Json = unknown;
type JsonSchema = Record<string, any>;

// ─── The JSON endpoints, from the OpenAPI document ──────────────────────────────────────────────

const doc = openApiDocument(ORIGIN) as { paths: Record<string, Record<string, any>>; components?: any };
const JSON_ROUTES: { route: string; schema: JsonSchema }[] = [];
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const schema = op?.requestBody?.content?.["application/json"]?.schema;
    if (schema) JSON_ROUTES.push({ route: `${method.toUpperCase()} ${path}`, schema });
  }
}
const RUNS_PER_ROUTE = Math.max(30, Math.ceil(TOTAL_RUNS / Math.max(1, JSON_ROUTES.length)));

function deref(s: JsonSchema | undefined): JsonSchema {
  let cur = s ?? {};
  for (let i = 0; i < 20 && typeof cur.$ref === "string"; i++) {
    cur = doc.components?.schemas?.[cur.$ref.replace("#/components/schemas/", "")] ?? {};
  }
  return cur;
}

/** A schema-valid value (for routes without a hand-written valid body in helpers/routes.ts). */
function sampleOf(s0: JsonSchema | undefined, depth = 0): Json {
  const s = deref(s0);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if ("const" in s) return s.const;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return sampleOf(alts[0], depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: JsonSchema) => sampleOf(x, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, Json> = {};
      for (const k of s.required ?? []) out[k] = sampleOf(s.properties?.[k], depth + 1);
      return out;
    }
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items, depth + 1));
    case "string":
      if (s.format === "date-time") return new Date().toISOString();
      if (/district/i.test(s.description ?? "") || s.pattern === "^\\d{6}$") return DISTRICT;
      return "x".repeat(Math.max(1, s.minLength ?? 1));
    case "integer":
    case "number":
      return s.minimum ?? 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

// ─── Generators ─────────────────────────────────────────────────────────────────────────────────

type PathKey = string | number;

/** Every path into a JSON value (objects and arrays, any depth), the root included. */
function pathsOf(v: Json, prefix: PathKey[] = []): PathKey[][] {
  const out: PathKey[][] = [prefix];
  if (prefix.length >= 6) return out; // not into nested garbage of a previous mutation
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...prefix, i]));
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

function setAt(root: Json, path: PathKey[], f: (old: Json) => Json | typeof DROP): Json {
  if (path.length === 0) {
    const r = f(root);
    return r === DROP ? undefined : r;
  }
  const [head, ...rest] = path as [PathKey, ...PathKey[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    const r = rest.length === 0 ? f(copy[head as number]) : setAt(copy[head as number], rest, f);
    if (r === DROP) copy.splice(head as number, 1);
    else copy[head as number] = r;
    return copy;
  }
  if (root && typeof root === "object") {
    const copy: Record<string, Json> = { ...(root as Record<string, Json>) };
    const r = rest.length === 0 ? f(copy[head]) : setAt(copy[head], rest, f);
    if (r === DROP) delete copy[head as string];
    else copy[head as string] = r;
    return copy;
  }
  return root;
}
const DROP = Symbol("drop");

const EXTREME_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

const oddString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }), // lone surrogates included
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u202e\u0644\u0627",
    "👨‍👩‍👧‍👦".repeat(50),
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "null",
    "2026-02-30T25:61:61Z",
    "510104198506151230",
    "NaN",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, literally
    "${jndi:ldap://x}",
    "\ud800",
  ),
);

const hugeString = fc
  .tuple(fc.constantFrom(1_000, 20_000, 70_000), fc.constantFrom("x", "字", "😀", "\\", '"'))
  .map(([n, ch]) => ch.repeat(n));

const nestedGarbage = fc.tuple(fc.integer({ min: 10, max: 3000 }), fc.boolean()).map(([depth, arr]) => {
  let v: Json = arr ? [] : {};
  for (let i = 0; i < depth; i++) v = arr ? [v] : { a: v };
  return v;
});

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  hugeString,
  fc.constantFrom(...EXTREME_NUMBERS),
  nestedGarbage,
  fc.constantFrom(null, true, false, [], {}, [null], { __proto__: { admin: true } }),
);

type Mutation =
  | { op: "drop"; at: number }
  | { op: "replace"; at: number; value: Json }
  | { op: "wrap"; at: number }
  | { op: "extraKey"; at: number; key: string; value: Json }
  | { op: "repeat"; at: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value: replacement }),
  fc.record({ op: fc.constant("wrap" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("extraKey" as const),
    at: fc.nat(),
    key: fc.oneof(
      fc.constantFrom("__proto__", "constructor", "prototype", "personId", "role", ""),
      fc.string(),
    ),
    value: replacement,
  }),
  fc.record({ op: fc.constant("repeat" as const), at: fc.nat(), times: fc.constantFrom(2, 50, 1001) }),
);

function mutate(base: Json, mutations: Mutation[]): Json {
  let body = base;
  for (const m of mutations) {
    const paths = pathsOf(body);
    const path = paths[m.at % paths.length]!;
    body = setAt(body, path, (old) => {
      switch (m.op) {
        case "drop":
          return DROP;
        case "replace":
          return m.value;
        case "wrap":
          return [old];
        case "extraKey":
          return old && typeof old === "object" && !Array.isArray(old)
            ? JSON.parse(
                `{${JSON.stringify(m.key)}: ${JSON.stringify(m.value) ?? "null"}, ${JSON.stringify(old).slice(1)}`.replace(
                  /, }$/,
                  "}",
                ),
              )
            : old;
        case "repeat":
          return Array.isArray(old) && old.length > 0 ? Array.from({ length: m.times }, () => old[0]) : old;
      }
    });
  }
  return body;
}

type Body = { json: Json } | { raw: string; contentType?: string };

function bodies(base: Json): fc.Arbitrary<Body> {
  const text = JSON.stringify(base);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ({ json: mutate(base, ms) })),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.string({ unit: "binary", maxLength: 200 }).map((raw) => ({ raw })),
        fc.nat({ max: text.length }).map((n) => ({ raw: text.slice(0, n) })), // truncated JSON
        fc.constantFrom(
          { raw: `\ufeff${text}` },
          { raw: `${text}garbage` },
          { raw: text.replace(/}$/, ",}") },
          { raw: text, contentType: "text/plain" },
          { raw: text, contentType: "application/x-www-form-urlencoded" },
          { raw: "" },
          { raw: "[".repeat(50_000) },
        ),
      ),
    },
  );
}

// ─── The properties ─────────────────────────────────────────────────────────────────────────────

/** A valid caller for the route: the first the table admits, preferring real callers to none. */
function callerFor(route: string): CallerName {
  const row = MATRIX[route];
  if (!row) throw new Error(`${route} has no row in auth-matrix.table.ts`);
  const order: CallerName[] = ["person", "device", "lab", "vaccinationSite", "authority", "none"];
  const c = order.find((k) => row[k] === "ok") ?? CALLERS.find((k) => row[k] === "ok");
  if (!c) throw new Error(`${route}: no caller may call it`);
  return c;
}

/**
 * Tables a route writes by design even when it refuses: the look-up and manual-entry limits count
 * failures, and every refusal of a venue limit (or of someone else's push endpoint) is audited; a
 * refused proxy application (a wrong name, a held identity) is audited and counts against the
 * account's daily quota, so identity numbers cannot be probed in bulk.
 */
const WRITES_ON_REJECT: Record<string, string[]> = {
  "POST /v1/persons": ["audit_log", "person_audit", "proxy_request_counters"],
  "POST /v1/venue/lookup": ["audit_log", "person_audit", "lookup_counters"],
  "POST /v1/venue/manual-entries": ["audit_log", "lookup_counters"],
  "POST /v1/venues": ["audit_log"],
  "POST /v1/venues/{venueId}/device-keys": ["audit_log"],
  "POST /v1/push/subscriptions": ["audit_log"],
};

const hasExplicitBase = (route: string) =>
  (route in VALID_BODIES || route === "POST /v1/push/subscriptions") &&
  ![
    "POST /v1/authority/imports",
    "POST /v1/authority/appeals/{id}/answer",
    "DELETE /v1/push/subscriptions",
  ].includes(route);

/** Routes that reach a person's Durable Object: their state version is watched too. */
const DO_ROUTES = new Set([
  "POST /v1/persons",
  "POST /v1/authority/events",
  "POST /v1/lab/results",
  "POST /v1/vaccination/records",
  "POST /v1/checkins",
  "POST /v1/venue/scan",
  "POST /v1/venue/lookup",
  "POST /v1/venue/manual-entries",
  "POST /v1/persons/{personId}/appeals",
  "POST /v1/authority/appeals/{id}/answer",
  "POST /v1/authority/risk-areas",
]);

/** Bodies aimed at the world's person, so the person's state version shows any stray write. */
function fuzzBase(route: string, w: World): Json {
  const id = { idType: "resident_id", idNumber: w.personIdNumber };
  const hours = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
  switch (route) {
    case "POST /v1/authority/events":
      return {
        ...id,
        kind: "secondary_contact",
        occurredAt: hours(1),
        reason: "fuzz",
        eventId: "fuzz-event",
      };
    case "POST /v1/lab/results":
      return {
        results: [
          {
            sampleId: "FUZZ-1",
            ...id,
            name: "张小三",
            test: "nucleic_acid",
            result: "negative",
            sampledAt: hours(5),
            reportedAt: hours(1),
          },
        ],
      };
    case "POST /v1/checkins":
      return { placeCode: w.placeCode, personId: w.personId };
    case "POST /v1/push/subscriptions":
      return {
        subscription: {
          endpoint: "https://push.example.com/fuzz",
          keys: { p256dh: pushKey, auth: "AAAAAAAAAAAAAAAAAAAAAA" },
        },
      };
    default: {
      const s = sampleRequest(route, w);
      if (
        s.body !== undefined &&
        !(route.split(" ")[0] !== "GET" && s.body && Object.keys(s.body).length === 0)
      )
        return s.body;
      const entry = JSON_ROUTES.find((r) => r.route === route);
      return sampleOf(entry?.schema);
    }
  }
}

let world: World;
let tables: string[];
let rowCounts: () => Promise<Record<string, number>>;
const stats = { requests: 0, accepted: 0, sendMs: 0, checkMs: 0, byStatus: new Map<number, number>() };

let pushKey = "";
beforeAll(async () => {
  world = await createWorld();
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  pushKey = base64url.encode(
    new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer),
  );
  tables = await d1Tables();
  rowCounts = await rowCounter(tables);
});

let watchPerson = true;
async function personVersion(personId: string): Promise<number | undefined> {
  return watchPerson ? (await env.PERSON.getByName(personId).summary())?.version : undefined;
}

async function quiet(): Promise<Record<string, number>> {
  // Background work of earlier accepted requests (queue consumers, outbox flushes) settles first.
  let prev = await rowCounts();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await rowCounts();
    if (countChanges(prev, next).length === 0) return next;
    prev = next;
  }
  return prev;
}

describe("fuzzing every JSON endpoint", () => {
  test("the OpenAPI document lists JSON endpoints to fuzz", () => {
    expect(JSON_ROUTES.length).toBeGreaterThan(15);
  });

  test.each(JSON_ROUTES.map((r) => r.route))("%s", async (route) => {
    const caller = callerFor(route);
    const { method, path } = concretePath(route, {
      ...world,
      // Fuzzing a venue's edit could close it (`closed: true`): edit the spare one.
      venueId: route === "PATCH /v1/venues/{venueId}" ? world.spareVenueId : world.venueId,
    });
    const base = fuzzBase(route, world);
    const exempt = new Set(WRITES_ON_REJECT[route] ?? []);
    watchPerson = DO_ROUTES.has(route) || route.includes("{personId}");

    const send = (b: Body) =>
      "json" in b
        ? call(method, path, { token: world.tokens[caller], rawBody: JSON.stringify(b.json) ?? "null" })
        : call(method, path, {
            token: world.tokens[caller],
            rawBody: b.raw,
            headers: { "content-type": b.contentType ?? "application/json" },
          });

    /** The stray writes of one rejected request, replayed once things are quiet if any are seen. */
    const strayWrites = async (
      b: Body,
      before: Record<string, number>,
      versionBefore: number | undefined,
    ) => {
      const [after, vAfter] = await Promise.all([rowCounts(), personVersion(world.personId)]);
      last = { counts: after, version: vAfter };
      const seen = [
        ...countChanges(before, after).filter((c) => !exempt.has(c.split(":")[0]!)),
        ...(vAfter !== versionBefore ? [`person state version: ${versionBefore} → ${vAfter}`] : []),
      ];
      if (seen.length === 0) return [];
      const counts = await quiet();
      const v = await personVersion(world.personId);
      await send(b);
      const replayed = await rowCounts();
      const v2 = await personVersion(world.personId);
      last = { counts: replayed, version: v2 };
      return [
        ...countChanges(counts, replayed).filter((c) => !exempt.has(c.split(":")[0]!)),
        ...(v2 !== v ? [`person state version: ${v} → ${v2}`] : []),
      ];
    };

    // A hand-written base body must itself be accepted, or the near-valid bodies are near nothing.
    if (hasExplicitBase(route)) {
      const baseRes = await send({ json: base });
      expect(baseRes.status, `${route}: base body refused ${JSON.stringify(baseRes.body)}`).toBeLessThan(400);
    }
    let accepted = 0;
    // The state after one request is the state before the next (background writes in between are
    // told apart from the request's own by the quiet replay in strayWrites).
    let last = { counts: await rowCounts(), version: await personVersion(world.personId) };
    await fc.assert(
      fc.asyncProperty(bodies(base), async (b) => {
        const { counts: before, version: versionBefore } = last;
        const t0 = Date.now();
        const res = await send(b);
        stats.sendMs += Date.now() - t0;
        stats.requests++;
        stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
        const what = `${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status < 400) {
          accepted++;
          last = { counts: await rowCounts(), version: await personVersion(world.personId) };
          return;
        }
        expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
        const p = res.body as Record<string, unknown>;
        expect(typeof p.type, what).toBe("string");
        expect(typeof p.title, what).toBe("string");
        expect(p.status, what).toBe(res.status);
        expect(typeof p.detail, what).toBe("string");
        if (res.status === 401) expect.fail(`authentication refused a valid caller: ${what}`);
        const t1 = Date.now();
        const stray = await strayWrites(b, before, versionBefore);
        stats.checkMs += Date.now() - t1;
        expect(stray, `a rejected request wrote: ${what}`).toEqual([]);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true, interruptAfterTimeLimit: 200_000 },
    );
    stats.accepted += accepted;
  });

  test("enough bodies were generated", () => {
    console.log(
      `fuzz: ${stats.requests} requests over ${JSON_ROUTES.length} routes (${stats.accepted} accepted; ${stats.sendMs} ms in requests, ${stats.checkMs} ms checking writes); statuses ${JSON.stringify(Object.fromEntries(stats.byStatus))}`,
    );
    expect(stats.requests).toBeGreaterThanOrEqual(Math.min(TOTAL_RUNS, RUNS_PER_ROUTE * JSON_ROUTES.length));
  });
});
