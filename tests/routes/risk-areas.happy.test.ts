import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, type ExplainedStatus, env } from "../helpers/api";
import { aPerson, aVenue, aVerifiedVenue, CHENGDU, insertCheckIns } from "./venues.fixtures";

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const status = async (p: { token: string; personId: string }) =>
  (await call<ExplainedStatus>("GET", `/v1/persons/${p.personId}/status`, { token: p.token })).body;
const colorOf = async (p: { token: string; personId: string }) => (await status(p)).color as string;

async function designate(body: Record<string, unknown>, opts: { env?: Env } = {}) {
  return call("POST", "/v1/authority/risk-areas", { token: await authorityToken(), body, ...opts });
}

describe("risk areas turn visitors yellow, and lifting turns them back", () => {
  it("check-in → designation covering it → yellow with the venue and time; outside the window → green; lift → green", async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token, { name: "新发地市场" });
    const inside = await aPerson("inside");
    const outside = await aPerson("outside");
    const checkIn = await call("POST", "/v1/checkins", {
      token: inside.token,
      body: { placeCode: venue.placeCode, personId: inside.personId },
    });
    expect(checkIn.status).toBe(201);
    // The other visitor came five hours earlier, before the window opens.
    await insertCheckIns([
      {
        checkInId: "ci_outside_window_1",
        venueId: venue.venueId,
        personId: outside.personId,
        checkedInAt: iso(Date.now() - 5 * HOUR),
      },
    ]);

    const res = await designate({
      level: "high",
      venueIds: [venue.venueId],
      from: iso(Date.now() - HOUR),
      to: iso(Date.now() + HOUR),
      reason: "Confirmed case visited the market",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ affectedPersons: 1, venues: 1 });
    const { riskAreaId } = res.body;

    await vi.waitUntil(async () => (await colorOf(inside)) === "yellow", { timeout: 20_000, interval: 200 });
    const s = await status(inside);
    const reason = s.reasons.find((r: { rule: string }) => r.rule === "risk-area-visit");
    expect(reason?.facts).toEqual([`exposure:${riskAreaId}:${checkIn.body.checkInId}`]);
    expect(reason?.since).toBe(new Date(checkIn.body.checkedInAt).toISOString());
    // The person sees where and when: the venue and the visit time are in the reason itself.
    expect(reason?.exposures).toEqual([
      expect.objectContaining({
        venueName: "新发地市场",
        visitedAt: checkIn.body.checkedInAt,
        level: "high",
      }),
    ]);
    const facts = await env.PERSON.getByName(inside.personId).facts("exposure");
    expect(facts).toEqual([
      expect.objectContaining({
        venueId: venue.venueId,
        venueName: "新发地市场",
        visitedAt: checkIn.body.checkedInAt,
        level: "high",
      }),
    ]);
    expect(await colorOf(outside)).toBe("green");

    const listed = await call("GET", "/v1/risk-areas");
    expect(listed.headers.get("cache-control")).toContain("max-age=60");
    expect(listed.body.riskAreas).toContainEqual(
      expect.objectContaining({
        riskAreaId,
        level: "high",
        venues: [{ venueId: venue.venueId, name: "新发地市场", districtCode: "510104" }],
      }),
    );

    const lifted = await call("POST", `/v1/authority/risk-areas/${riskAreaId}/lift`, {
      token: await authorityToken(),
      body: { reason: "Disinfected and cleared" },
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body.persons).toBe(1);
    await vi.waitUntil(async () => (await colorOf(inside)) === "green", { timeout: 20_000, interval: 200 });
    expect(
      (await call("GET", "/v1/risk-areas")).body.riskAreas.map((r: { riskAreaId: string }) => r.riskAreaId),
    ).not.toContain(riskAreaId);
    const again = await call("POST", `/v1/authority/risk-areas/${riskAreaId}/lift`, {
      token: await authorityToken(),
      body: { reason: "twice" },
    });
    expect(again.status).toBe(409);

    const audits = await env.DB.prepare("SELECT action, reason FROM audit_log WHERE target = ? ORDER BY id")
      .bind(riskAreaId)
      .all();
    expect(audits.results).toEqual([
      { action: "risk_area.designate", reason: "Confirmed case visited the market" },
      { action: "risk_area.lift", reason: "Disinfected and cleared" },
    ]);
  });

  it("a visit made while a designation is in force is matched at check-in", async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token);
    const res = await designate({
      level: "medium",
      venueIds: [venue.venueId],
      from: iso(Date.now() - HOUR),
      to: iso(Date.now() + HOUR),
      reason: "ongoing",
    });
    expect(res.status).toBe(201);
    const late = await aPerson("late");
    const c = await call("POST", "/v1/checkins", {
      token: late.token,
      body: { placeCode: venue.placeCode, personId: late.personId },
    });
    expect(c.status).toBe(201);
    expect(await colorOf(late)).toBe("yellow");
  });

  it("a district designation covers the verified venues inside it, not unverified ones nor those outside", async () => {
    const owner = await aPerson("owner");
    const inDistrict = await aVerifiedVenue(owner.token, { districtCode: "510107" });
    const elsewhere = await aVerifiedVenue(owner.token, { districtCode: "110105" });
    const unverified = await aVenue(owner.token, { districtCode: "510107" });
    const a = await aPerson("a");
    const b = await aPerson("b");
    const c = await aPerson("c");
    await call("POST", "/v1/checkins", {
      token: c.token,
      body: { placeCode: unverified.placeCode, personId: c.personId, location: CHENGDU },
    });
    await call("POST", "/v1/checkins", {
      token: a.token,
      body: { placeCode: inDistrict.placeCode, personId: a.personId },
    });
    await call("POST", "/v1/checkins", {
      token: b.token,
      body: { placeCode: elsewhere.placeCode, personId: b.personId },
    });
    const window = { from: iso(Date.now() - HOUR), to: iso(Date.now() + HOUR) };
    const dry = await designate({
      level: "high",
      districtCode: "510100",
      ...window,
      reason: "Chengdu city",
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.affectedPersons).toBeGreaterThanOrEqual(1);
    const res = await designate({
      level: "high",
      districtCode: "510107",
      ...window,
      reason: "Wuhou district",
    });
    expect(res.status).toBe(201);
    await vi.waitUntil(async () => (await colorOf(a)) === "yellow", { timeout: 20_000, interval: 200 });
    expect(await colorOf(b)).toBe("green");
    expect(await colorOf(c)).toBe("green");
    const covered = await env.DB.prepare("SELECT venue_id FROM risk_area_venues WHERE risk_area_id = ?")
      .bind(res.body.riskAreaId)
      .all<{ venue_id: string }>();
    expect(covered.results.map((r) => r.venue_id)).toEqual([inDistrict.venueId]);
  });
});

describe("dry run and circuit breaker", () => {
  async function venueWith(n: number) {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token);
    const visitor = await aPerson("visitor");
    const rows = Array.from({ length: n }, (_, i) => ({
      checkInId: `ci_${venue.venueId}_${i}`,
      venueId: venue.venueId,
      personId:
        i === 0 ? visitor.personId : `breaker${venue.venueId.slice(4, 12)}${String(i).padStart(6, "0")}`,
      checkedInAt: iso(Date.now() - 10 * 60_000 + i),
    }));
    await insertCheckIns(rows);
    return { venue, visitor };
  }
  const window = () => ({ from: iso(Date.now() - HOUR), to: iso(Date.now() + HOUR) });
  const areas = async () =>
    (await env.DB.prepare("SELECT COUNT(*) AS n FROM risk_areas").first<{ n: number }>())!.n;

  it("a dry run says how many it would affect and changes nothing", async () => {
    const { venue, visitor } = await venueWith(7);
    const before = await areas();
    const res = await designate({
      level: "high",
      venueIds: [venue.venueId],
      ...window(),
      reason: "what if",
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dryRun: true,
      affectedPersons: 7,
      venues: 1,
      // Rows inserted without presence are printed-poster check-ins with no proof of being there.
      unconfirmedOnly: 7,
      unconfirmedByCause: { manualEntry: 0, olderScan: 0, unconfirmedCheckIn: 7 },
      excludeUnconfirmed: false,
    });
    expect(await areas()).toBe(before);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await env.PERSON.getByName(visitor.personId).facts("exposure")).toEqual([]);
    expect(await colorOf(visitor)).toBe("green");
  });

  it("above the threshold without confirm → 409 saying the count; with confirm → designated", async () => {
    const { venue, visitor } = await venueWith(7);
    const lowThreshold = { ...env, RISK_CONFIRM_THRESHOLD: "5" } as Env;
    const before = await areas();
    const body = { level: "high", venueIds: [venue.venueId], ...window(), reason: "big one" };
    const refused = await designate(body, { env: lowThreshold });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ affectedPersons: 7, threshold: 5, confirmationRequired: true });
    expect(refused.body.detail).toContain("7");
    expect(refused.body.detail).toContain("confirm");
    expect(await areas()).toBe(before);
    const ok = await designate({ ...body, confirm: true }, { env: lowThreshold });
    expect(ok.status).toBe(201);
    await vi.waitUntil(async () => (await colorOf(visitor)) === "yellow", { timeout: 20_000, interval: 200 });
  });

  it("bad designations are 400s naming the field", async () => {
    const w = window();
    const cases: [Record<string, unknown>, string][] = [
      [{ level: "high", ...w, reason: "none" }, "venueIds"],
      [{ level: "high", districtCode: "999999", ...w, reason: "bad" }, "districtCode"],
      [{ level: "high", venueIds: ["ven_doesnotexist123"], ...w, reason: "bad" }, "venueIds.0"],
      [{ level: "high", districtCode: "510104", from: w.to, to: w.from, reason: "backwards" }, "to"],
      [{ level: "severe", districtCode: "510104", ...w, reason: "bad" }, "level"],
    ];
    for (const [body, path] of cases) {
      const res = await designate(body);
      expect(res.status, path).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe(path);
    }
    const person = await aPerson("notauthority");
    expect(
      (await call("POST", "/v1/authority/risk-areas", { token: person.token, body: cases[0]![0] })).status,
    ).toBe(403);
  });
});
