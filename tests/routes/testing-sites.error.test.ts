import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken } from "../helpers/api";

const valid = {
  name: "采样点",
  address: "成都",
  districtCode: "510104",
  location: { lat: 30.6, lon: 104 },
  openingHours: { mon: [["08:00", "18:00"]] },
  services: ["nucleic_acid"],
  free: true,
};

describe("testing sites: bad input and access", () => {
  it("names the bad field of a site", async () => {
    const token = await authorityToken();
    const bad = await call("POST", "/v1/authority/testing-sites", {
      token,
      body: {
        ...valid,
        openingHours: { mon: [["08:00", "25:00"]], funday: [] },
        location: { lat: 95, lon: 104 },
      },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors?.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["location.lat", "openingHours.mon.0.1"]));
    const district = await call("POST", "/v1/authority/testing-sites", {
      token,
      body: { ...valid, districtCode: "999999" },
    });
    expect(district.status).toBe(400);
    expect(district.body.errors?.[0]?.path).toBe("districtCode");
  });

  it("refuses directory changes without the authority role", async () => {
    const token = await idToken("plain-user");
    expect((await call("POST", "/v1/authority/testing-sites", { token, body: valid })).status).toBe(403);
    expect((await call("POST", "/v1/authority/testing-sites", { body: valid })).status).toBe(401);
  });

  it("rejects bad search parameters with 400, never 5xx", async () => {
    for (const q of [
      "near=abc",
      "near=95,10",
      "districtCode=12",
      "districtCode=999999",
      "limit=0",
      "openNow=yes",
      "cursor=xyz",
    ]) {
      const res = await call("GET", `/v1/testing-sites?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("refuses a cursor from another search", async () => {
    const token = await authorityToken();
    for (let i = 0; i < 3; i++) await call("POST", "/v1/authority/testing-sites", { token, body: valid });
    const page = await call("GET", "/v1/testing-sites?districtCode=510104&limit=1");
    expect(page.body.nextCursor).toBeDefined();
    const other = await call(
      "GET",
      `/v1/testing-sites?districtCode=510100&limit=1&cursor=${page.body.nextCursor}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0]?.path).toBe("cursor");
  });

  it("404s a change to an unknown site", async () => {
    const token = await authorityToken();
    expect(
      (await call("PATCH", "/v1/authority/testing-sites/ts_nope", { token, body: { free: false } })).status,
    ).toBe(404);
    expect((await call("DELETE", "/v1/authority/testing-sites/ts_nope", { token })).status).toBe(404);
  });
});
