/**
 * Overload: with the shedding thresholds turned low (SHED_NONESSENTIAL_AT / SHED_ALL_AT, see
 * workers/http/load-shedding.ts) and bursts of concurrent requests, the service answers 503 (or 429)
 * with Retry-After instead of failing, sheds statistics and look-ups first, keeps codes and
 * verification working, and recovers as soon as the burst is over (no leaked in-flight slots, even
 * from requests that failed).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { type ApiResponse, call, env, type Problem } from "../helpers/api";
import { createWorld, type World } from "./helpers/world";

type Class = "essential" | "normal" | "nonessential";
interface Req {
  cls: Class;
  name: string;
  send: (e: Env) => Promise<ApiResponse>;
}

/**
 * The burst mixes routes, so an answer's body has no one schema: this test reads a refusal's problem
 * and, for the routes it names, `valid` or `token`. A deliberate, local escape from the typed bodies.
 */
const bodyOf = (r: ApiResponse) => r.body as Partial<Problem> & { valid?: boolean; token?: string };

let world: World;
let code: string;
beforeAll(async () => {
  world = await createWorld();
  code = (await call("GET", `/v1/persons/${world.personId}/code`, { token: world.tokens.person })).body.token;
});

function requests(w: World): Req[] {
  const t = w.tokens;
  return [
    {
      cls: "essential",
      name: "verify",
      send: (e) => call("POST", "/v1/verify", { env: e, body: { token: code } }),
    },
    {
      cls: "essential",
      name: "code",
      send: (e) => call("GET", `/v1/persons/${w.personId}/code`, { env: e, token: t.person }),
    },
    {
      cls: "essential",
      name: "scan",
      send: (e) => call("POST", "/v1/venue/scan", { env: e, token: t.device, body: { token: code } }),
    },
    { cls: "essential", name: "health", send: (e) => call("GET", "/health", { env: e }) },
    { cls: "normal", name: "persons", send: (e) => call("GET", "/v1/persons", { env: e, token: t.person }) },
    {
      cls: "normal",
      name: "status",
      send: (e) => call("GET", `/v1/persons/${w.personId}/status`, { env: e, token: t.person }),
    },
    {
      cls: "nonessential",
      name: "stats",
      send: (e) => call("GET", "/v1/authority/stats", { env: e, token: t.authority }),
    },
    {
      cls: "nonessential",
      name: "venue stats",
      send: (e) => call("GET", `/v1/venues/${w.venueId}/stats`, { env: e, token: t.person }),
    },
    { cls: "nonessential", name: "testing sites", send: (e) => call("GET", "/v1/testing-sites", { env: e }) },
    { cls: "nonessential", name: "openapi", send: (e) => call("GET", "/openapi.json", { env: e }) },
    {
      cls: "nonessential",
      name: "lookup",
      send: (e) =>
        call("POST", "/v1/venue/lookup", {
          env: e,
          token: t.device,
          body: { idType: "resident_id", idNumber: w.personIdNumber, name: "张小三" },
        }),
    },
  ];
}

function checkRefusal(r: ApiResponse, what: string) {
  expect([429, 503], what).toContain(r.status);
  expect(Number(r.headers.get("retry-after")), `${what}: Retry-After`).toBeGreaterThan(0);
  expect(r.headers.get("content-type"), what).toContain("application/problem+json");
  expect(bodyOf(r).status, what).toBe(r.status);
}

const busy = (nonessentialAt: number, allAt: number) =>
  ({
    ...env,
    SHED_NONESSENTIAL_AT: String(nonessentialAt),
    SHED_ALL_AT: String(allAt),
    LOOKUP_LIMIT_PER_HOUR: "100000",
  }) as Env;

describe("shedding under a burst", () => {
  test("non-essential work is shed first; codes and verification keep answering; never a 5xx but 503", async () => {
    const e = busy(2, 50);
    const all = requests(world);
    // 30 essential + at most 10 normal + 1 non-essential in flight stay under SHED_ALL_AT=50 (shed
    // requests never take a slot), so no essential request may be shed; 100 non-essential compete.
    const burst: Req[] = [
      ...Array.from({ length: 30 }, (_, i) => all.filter((r) => r.cls === "essential")[i % 4]!),
      ...Array.from({ length: 10 }, (_, i) => all.filter((r) => r.cls === "normal")[i % 2]!),
      ...Array.from({ length: 100 }, (_, i) => all.filter((r) => r.cls === "nonessential")[i % 5]!),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(burst.map(async (r) => ({ r, res: await r.send(e) })));

    const by: Record<Class, { ok: number; shed: number }> = {
      essential: { ok: 0, shed: 0 },
      normal: { ok: 0, shed: 0 },
      nonessential: { ok: 0, shed: 0 },
    };
    for (const { r, res } of answers) {
      const what = `${r.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status >= 500 && res.status !== 503) expect.fail(`a ${res.status} under load: ${what}`);
      if (res.status === 503 || res.status === 429) {
        checkRefusal(res, what);
        by[r.cls].shed++;
      } else {
        expect(res.status, what).toBe(200);
        by[r.cls].ok++;
      }
    }
    console.log(`overload burst: ${JSON.stringify(by)}`);
    expect(by.essential.shed, "codes and verification are never shed below SHED_ALL_AT").toBe(0);
    expect(by.nonessential.shed, "statistics and look-ups are shed").toBeGreaterThan(50);
    const rate = (c: Class) => by[c].shed / (by[c].ok + by[c].shed);
    expect(rate("nonessential")).toBeGreaterThan(rate("normal"));
    for (const { r, res } of answers) {
      if (r.name === "verify") expect(bodyOf(res).valid).toBe(true);
      if (r.name === "code") expect(typeof bodyOf(res).token).toBe("string");
      if (r.name === "scan") expect(bodyOf(res).valid).toBe(true);
    }
  });

  test("past saturation everything gets 503 + Retry-After, never a 500, and the rest is served", async () => {
    const e = busy(1, 5);
    const all = requests(world);
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => all[i % all.length]!).map(async (r) => ({
        r,
        res: await r.send(e),
      })),
    );
    let served = 0;
    let shed = 0;
    for (const { r, res } of answers) {
      const what = `${r.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (res.status === 503 || res.status === 429) {
        checkRefusal(res, what);
        shed++;
      } else {
        expect(res.status, what).toBe(200);
        served++;
      }
    }
    expect(shed).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(0);
    const essentials = answers.filter(({ r }) => r.cls === "essential");
    // The essential class is refused last, so it is served at least as often as any other.
    const servedRate = (xs: typeof answers) => xs.filter(({ res }) => res.status === 200).length / xs.length;
    expect(servedRate(essentials)).toBeGreaterThanOrEqual(
      servedRate(answers.filter(({ r }) => r.cls === "nonessential")),
    );
    // An essential refusal asks for a short wait.
    for (const { res } of essentials)
      if (res.status === 503) expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(5);
  });

  test("after a burst of failing requests, no in-flight slot is leaked: the next ones are served", async () => {
    const e = busy(2, 4);
    const failing = await Promise.all([
      ...Array.from({ length: 30 }, () => call("POST", "/v1/verify", { env: e, rawBody: "{not json" })),
      ...Array.from({ length: 30 }, () => call("GET", "/v1/persons", { env: e, token: "forged" })),
      ...Array.from({ length: 30 }, () =>
        call("POST", "/v1/persons", { env: e, token: world.tokens.person, body: { name: 1 } }),
      ),
    ]);
    for (const r of failing) expect(r.status === 503 || r.status < 500, `${r.status}`).toBe(true);
    // With one slot left for non-essential work, sequential requests of every class are served.
    for (const r of requests(world)) {
      const res = await r.send(e);
      expect(res.status, `${r.name} after the burst: ${res.status}`).toBe(200);
    }
  });
});

describe("rate limits answer 429 with Retry-After", () => {
  test("staff look-ups past the hourly limit", async () => {
    const e = { ...env, LOOKUP_LIMIT_PER_HOUR: "3" } as Env;
    const fresh = await createWorld();
    const answers: ApiResponse[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        await call("POST", "/v1/venue/lookup", {
          env: e,
          token: fresh.tokens.device,
          body: { idType: "resident_id", idNumber: fresh.personIdNumber, name: "张小三" },
        }),
      );
    expect(answers.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of answers.slice(3)) checkRefusal(r, `lookup → ${r.status}`);
  });
});
