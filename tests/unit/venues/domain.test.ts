import { describe, expect, it } from "vitest";
import { chunk } from "../../../workers/lib/chunk";
import { haversineMeters } from "../../../workers/lib/distance";
import { breaker, districtPattern, inWindow } from "../../../workers/risk-areas/policy";
import { locationVerdict } from "../../../workers/venues/geo";
import { sameName } from "../../../workers/venues/names";
import { checkPlaceClaims, checkPlaceHeader } from "../../../workers/venues/place-code";
import { hourStart, lookupDecision } from "../../../workers/venues/rate-limit";

const VENUE = "ven_abcdefgh12345678";

describe("place-code claims", () => {
  it("a printed code needs no time and never expires", () => {
    expect(checkPlaceClaims({ venueId: VENUE, kind: "printed", gen: 1 }, 4_000_000_000)).toEqual({
      ok: true,
      claims: { venueId: VENUE, kind: "printed", gen: 1 },
    });
  });

  it("a rotating code is accepted until exp plus the grace, then expired", () => {
    const claims = { venueId: VENUE, kind: "rotating", gen: 2, iat: 1000, exp: 1060 };
    expect(checkPlaceClaims(claims, 1065).ok).toBe(true);
    expect(checkPlaceClaims(claims, 1070)).toEqual({ ok: false, reason: "expired" });
    expect(checkPlaceClaims(claims, 5000)).toEqual({ ok: false, reason: "expired" });
    expect(checkPlaceClaims(claims, 900)).toEqual({ ok: false, reason: "not_yet_valid" });
  });

  it.each([
    [{ kind: "printed", gen: 1 }],
    [{ venueId: "1234", kind: "printed", gen: 1 }],
    [{ venueId: VENUE, kind: "poster", gen: 1 }],
    [{ venueId: VENUE, kind: "printed", gen: 0 }],
    [{ venueId: VENUE, kind: "printed", gen: "1" }],
    [{ venueId: VENUE, kind: "rotating", gen: 1 }],
    [{ venueId: VENUE, kind: "rotating", gen: 1, iat: 100, exp: 100 }],
  ])("malformed claims %j are refused", (claims) => {
    expect(checkPlaceClaims(claims as Record<string, unknown>, 100)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("only ES256 place+jwt headers with a kid pass; a health code's typ does not", () => {
    expect(checkPlaceHeader({ alg: "ES256", typ: "place+jwt", kid: "k" })).toBeNull();
    expect(checkPlaceHeader({ alg: "ES256", typ: "hc+jwt", kid: "k" })).toBe("malformed");
    expect(checkPlaceHeader({ alg: "HS256", typ: "place+jwt", kid: "k" })).toBe("unsupported_alg");
    expect(checkPlaceHeader({ alg: "none", typ: "place+jwt" })).toBe("unsupported_alg");
    expect(checkPlaceHeader({ alg: "ES256", typ: "place+jwt" })).toBe("malformed");
  });
});

describe("distance", () => {
  it("haversine matches known distances", () => {
    // Two points in Chengdu; the spherical law of cosines (computed separately) gives 7,910 m.
    const d = haversineMeters({ lat: 30.6575, lon: 104.0657 }, { lat: 30.6303, lon: 104.1421 });
    expect(d).toBeGreaterThan(7_900);
    expect(d).toBeLessThan(8_000);
    expect(haversineMeters({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111_195, -1);
    expect(haversineMeters({ lat: 30, lon: 104 }, { lat: 30, lon: 104 })).toBe(0);
  });

  it("refuses beyond the radius, and says nothing without a location on either side", () => {
    const venue = { lat: 30.6575, lon: 104.0657 };
    expect(locationVerdict(venue, { lat: 30.6585, lon: 104.0657 }, 1000)).toEqual({
      distanceM: 111,
      tooFar: false,
    });
    expect(locationVerdict(venue, { lat: 30.7, lon: 104.0657 }, 1000).tooFar).toBe(true);
    expect(locationVerdict(venue, undefined, 1000)).toEqual({ distanceM: null, tooFar: false });
    expect(locationVerdict({ lat: null, lon: null }, { lat: 1, lon: 1 }, 1000)).toEqual({
      distanceM: null,
      tooFar: false,
    });
  });
});

describe("look-up rate limit", () => {
  const t = Date.parse("2026-11-27T09:45:30Z");
  it("counts in fixed hours", () => {
    expect(hourStart(t)).toBe("2026-11-27T09:00:00.000Z");
  });
  it("allows up to the limit and then says when the hour turns", () => {
    expect(lookupDecision(120, 120, t)).toEqual({ allowed: true, remaining: 0 });
    expect(lookupDecision(121, 120, t)).toEqual({ allowed: false, retryAfter: 14 * 60 + 30 });
    expect(lookupDecision(500, 120, Date.parse("2026-11-27T09:59:59.900Z"))).toEqual({
      allowed: false,
      retryAfter: 1,
    });
  });
});

describe("name comparison", () => {
  it("ignores spacing, case, full-width letters and middle-dot variants", () => {
    expect(sameName("王五", " 王 五 ")).toBe(true);
    expect(sameName("WANG WU", "wang wu")).toBe(true);
    expect(sameName("ＷＡＮＧ", "wang")).toBe(true);
    expect(sameName("阿依古丽·买买提", "阿依古丽•买买提")).toBe(true);
    expect(sameName("王五", "王六")).toBe(false);
    expect(sameName("", "")).toBe(false);
  });
});

describe("risk-area policy", () => {
  it("a district covers what lies inside it", () => {
    expect(districtPattern("510000")).toBe("51%");
    expect(districtPattern("510100")).toBe("5101%");
    expect(districtPattern("510104")).toBe("510104");
  });
  it("the breaker needs confirmation strictly above the threshold", () => {
    expect(breaker(1000, 1000, undefined)).toEqual({ go: true });
    expect(breaker(1001, 1000, false)).toEqual({ go: false, affected: 1001, threshold: 1000 });
    expect(breaker(1001, 1000, true)).toEqual({ go: true });
  });
  it("chunks and windows", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inWindow("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z")).toBe(true);
    expect(inWindow("2026-11-27T11:00:01Z", "2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z")).toBe(false);
  });
});
