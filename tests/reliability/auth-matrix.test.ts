import { beforeAll, describe, expect, test } from "vitest";
import { call } from "../helpers/api";
import { type Expect, MATRIX } from "./auth-matrix.table";
import { appRoutes, concretePath, sampleRequest } from "./helpers/routes";
import { CALLERS, type CallerName, createWorld, type World } from "./helpers/world";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

describe("the authorisation table covers the app exactly", () => {
  test("every route the app serves has a row", () => {
    const missing = appRoutes().filter((r) => !(r in MATRIX));
    if (missing.length > 0)
      throw new Error(`routes without a row in auth-matrix.table.ts:\n${missing.join("\n")}`);
  });

  test("every row names a route the app serves", () => {
    const routes = new Set(appRoutes());
    const stale = Object.keys(MATRIX).filter((r) => !routes.has(r));
    if (stale.length > 0) throw new Error(`rows in auth-matrix.table.ts for no route:\n${stale.join("\n")}`);
  });

  test("credentials come from the public API (no direct key issue)", () => {
    expect(world.viaApi).toEqual({ venue: true, vaccinationSite: true });
  });
});

// Cells only for served routes: a stale row fails once, above, not once per caller.
const served = new Set(appRoutes());
const cells: [string, CallerName, Expect][] = Object.entries(MATRIX)
  .filter(([route]) => served.has(route))
  .flatMap(([route, row]) =>
    CALLERS.map((caller) => [route, caller, row[caller]] as [string, CallerName, Expect]),
  );

describe("every route × every caller", () => {
  test.each(cells)("%s as %s → %s", async (route, caller, expected) => {
    const { method, path } = concretePath(route, world);
    const sample = sampleRequest(route, world);
    const res = await call(method, path, { token: world.tokens[caller], ...sample });
    const what = `${method} ${path} as ${caller}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    if (expected === "ok") {
      const denials = new Set<number>([401, 403]);
      for (const e of Object.values(MATRIX[route]!)) if (typeof e === "number") denials.add(e);
      expect(denials.has(res.status), what).toBe(false);
    } else {
      expect(res.status, what).toBe(expected);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      if (expected === 401) expect(res.headers.get("www-authenticate"), what).toMatch(/^Bearer/);
    }
  });
});
