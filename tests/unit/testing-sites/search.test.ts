import { describe, expect, it } from "vitest";
import type { OpeningHours } from "../../../schema/opening-hours";
import { haversineKm } from "../../../workers/lib/distance";
import { decodeCursor, encodeCursor } from "../../../workers/testing-sites/cursor";
import { parseNear } from "../../../workers/testing-sites/geo";
import { isOpenAt, shanghaiLocal } from "../../../workers/testing-sites/opening-hours";
import { type Site, searchSites } from "../../../workers/testing-sites/search";

// Hand computations (R = 6371.0088 km, the IUGG mean radius):
// - along a meridian the haversine is R·Δφ: 0.1° → 6371.0088 × 0.1 × π/180 = 11.1195 km; 1° → 111.1951 km;
// - along the 30° parallel, Δλ = 0.1°: 2R·asin(cos 30° · sin 0.05°) = 2R·asin(0.8660254 × 0.00087266)
//   = 2 × 6371.0088 × 0.00075575 = 9.6298 km.
const ORIGIN = { lat: 30, lon: 104 };

describe("haversine distance", () => {
  it("matches hand-computed values", () => {
    expect(haversineKm(ORIGIN, { lat: 30.1, lon: 104 })).toBeCloseTo(11.1195, 3);
    expect(haversineKm(ORIGIN, { lat: 31, lon: 104 })).toBeCloseTo(111.1951, 3);
    expect(haversineKm(ORIGIN, { lat: 30, lon: 104.1 })).toBeCloseTo(9.6298, 3);
    expect(haversineKm(ORIGIN, ORIGIN)).toBe(0);
  });

  it("parses lat,lon and refuses out-of-range points", () => {
    expect(parseNear("30.66, 104.06")).toEqual({ lat: 30.66, lon: 104.06 });
    expect(parseNear("91,0")).toBeNull();
    expect(parseNear("30,181")).toBeNull();
    expect(parseNear("abc")).toBeNull();
  });
});

describe("opening hours in Asia/Shanghai", () => {
  const weekdays: OpeningHours = {
    mon: [
      ["08:00", "12:00"],
      ["14:00", "18:00"],
    ],
    sat: [["22:00", "02:00"]],
  };
  // 2026-11-23 is a Monday. 18:00 in Shanghai is 10:00Z.
  const at = (iso: string) => new Date(iso);

  it("reads the local weekday and time as UTC+8, across the UTC date line", () => {
    expect(shanghaiLocal(at("2026-11-22T16:30:00Z"))).toEqual({ weekday: "mon", minutes: 30 });
    expect(shanghaiLocal(at("2026-11-23T10:00:00Z"))).toEqual({ weekday: "mon", minutes: 18 * 60 });
  });

  it("is open one minute before closing time and closed at it", () => {
    expect(isOpenAt(weekdays, at("2026-11-23T09:59:00Z"))).toBe(true); // 17:59 local
    expect(isOpenAt(weekdays, at("2026-11-23T10:00:00Z"))).toBe(false); // 18:00 local
  });

  it("is closed in the lunch gap between two intervals and opens at the second", () => {
    expect(isOpenAt(weekdays, at("2026-11-23T05:30:00Z"))).toBe(false); // 13:30
    expect(isOpenAt(weekdays, at("2026-11-23T06:00:00Z"))).toBe(true); // 14:00
  });

  it("treats a day without hours as closed", () => {
    expect(isOpenAt(weekdays, at("2026-11-24T02:00:00Z"))).toBe(false); // Tuesday 10:00
    expect(isOpenAt({ mon: [] }, at("2026-11-23T02:00:00Z"))).toBe(false);
  });

  it("keeps an interval past midnight open into the next day", () => {
    // Saturday 2026-11-28 23:00 local and Sunday 01:59 local; closed at Sunday 02:00.
    expect(isOpenAt(weekdays, at("2026-11-28T15:00:00Z"))).toBe(true);
    expect(isOpenAt(weekdays, at("2026-11-28T17:59:00Z"))).toBe(true);
    expect(isOpenAt(weekdays, at("2026-11-28T18:00:00Z"))).toBe(false);
  });

  it("accepts 24:00 as the end of the day", () => {
    expect(isOpenAt({ mon: [["00:00", "24:00"]] }, at("2026-11-23T15:59:00Z"))).toBe(true); // 23:59
  });
});

const site = (
  siteId: string,
  districtCode: string,
  lat: number,
  lon: number,
  hours: OpeningHours = {},
): Site => ({
  siteId,
  name: `Site ${siteId}`,
  address: "somewhere",
  districtCode,
  location: { lat, lon },
  openingHours: hours,
  services: ["nucleic_acid"],
  free: true,
});

describe("searching the directory", () => {
  const sites = [
    site("a", "510104", 30.1, 104),
    site("b", "510105", 30, 104.1),
    site("c", "510704", 31, 104),
    site("d", "510106", 30.05, 104.05, { mon: [["08:00", "18:00"]] }),
  ];
  const monday10 = new Date("2026-11-23T02:00:00Z");

  it("matches a prefecture code to its counties", () => {
    const page = searchSites(sites, { districtCode: "510100" }, monday10, 10);
    expect(page.sites.map((s) => s.siteId).sort()).toEqual(["a", "b", "d"]);
  });

  it("orders by distance with the distance in km", () => {
    const page = searchSites(sites, { near: ORIGIN }, monday10, 10);
    expect(page.sites.map((s) => [s.siteId, s.distanceKm])).toEqual([
      ["d", 7.354],
      ["b", 9.63],
      ["a", 11.12],
      ["c", 111.195],
    ]);
  });

  it("filters by openNow", () => {
    expect(searchSites(sites, { openNow: true }, monday10, 10).sites.map((s) => s.siteId)).toEqual(["d"]);
  });

  it("pages with keyset cursors that survive an insertion before the cursor", () => {
    const first = searchSites(sites, { near: ORIGIN }, monday10, 2);
    expect(first.sites.map((s) => s.siteId)).toEqual(["d", "b"]);
    const withNewNearest = [...sites, site("e", "510104", 30.001, 104)];
    const second = searchSites(withNewNearest, { near: ORIGIN }, monday10, 2, first.next);
    expect(second.sites.map((s) => s.siteId)).toEqual(["a", "c"]);
    expect(second.next).toBeUndefined();
  });

  it("cursors are bound to their query", () => {
    const c = encodeCursor("d=510100", [1, "x"]);
    expect(decodeCursor("d=510100", c)).toEqual([1, "x"]);
    expect(decodeCursor("d=510000", c)).toBeNull();
    expect(decodeCursor("d=510100", "garbage!")).toBeNull();
  });
});
