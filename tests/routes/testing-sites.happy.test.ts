import { describe, expect, it } from "vitest";
import { authorityToken, call } from "../helpers/api";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

async function addSite(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call("POST", "/v1/authority/testing-sites", {
    token,
    body: {
      name: "锦江区核酸采样点",
      address: "成都市锦江区红星路三段1号",
      districtCode: "510104",
      location: { lat: 30.657, lon: 104.0658 },
      openingHours: { mon: [["08:00", "18:00"]] },
      services: ["nucleic_acid"],
      free: true,
      ...overrides,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.siteId;
}

/** Shanghai local weekday and minutes, computed independently (UTC + 8 h). */
function shanghaiNow(now = new Date()) {
  const local = new Date(now.getTime() + 8 * 3600_000);
  return {
    day: WEEKDAYS[(local.getUTCDay() + 6) % 7]!,
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}
const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

describe("testing-site search", () => {
  it("matches a prefecture code to its counties and not to another prefecture", async () => {
    const token = await authorityToken();
    const jinjiang = await addSite(token, { districtCode: "510104" });
    const qingyang = await addSite(token, { districtCode: "510105", name: "青羊区采样点" });
    const mianyang = await addSite(token, { districtCode: "510703", name: "绵阳涪城区采样点" });

    const chengdu = await call("GET", "/v1/testing-sites?districtCode=510100&limit=100");
    expect(chengdu.status).toBe(200);
    const ids = chengdu.body.sites.map((s: { siteId: string }) => s.siteId);
    expect(ids).toEqual(expect.arrayContaining([jinjiang, qingyang]));
    expect(ids).not.toContain(mianyang);

    const county = await call("GET", "/v1/testing-sites?districtCode=510105&limit=100");
    expect(county.body.sites.map((s: { siteId: string }) => s.siteId)).toEqual([qingyang]);
  });

  it("lists the nearest first with haversine distances", async () => {
    const token = await authorityToken();
    // Far from every other test's sites, so these three are the nearest. Hand-computed with
    // R = 6371.0088 km: 0.1° along a meridian = R·0.1·π/180 = 11.120 km; 0.1° along the 40° parallel
    // = 2R·asin(cos 40° · sin 0.05°) = 2R·asin(0.766044 × 0.000872665) = 8.518 km; 1° of latitude = 111.195 km.
    const north = await addSite(token, { location: { lat: 40.1, lon: 110 }, name: "N" });
    const east = await addSite(token, { location: { lat: 40, lon: 110.1 }, name: "E" });
    const far = await addSite(token, { location: { lat: 41, lon: 110 }, name: "F" });

    const res = await call("GET", "/v1/testing-sites?near=40,110&limit=3");
    expect(res.status).toBe(200);
    expect(res.body.sites.map((s) => [s.siteId, s.distanceKm])).toEqual([
      [east, expect.closeTo(8.518, 3)],
      [north, expect.closeTo(11.12, 3)],
      [far, expect.closeTo(111.195, 3)],
    ]);
    expect(res.body.nextCursor).toEqual(expect.any(String));

    // The next page continues after the third site and never repeats one.
    const next = await call("GET", `/v1/testing-sites?near=40,110&limit=3&cursor=${res.body.nextCursor}`);
    expect(next.status).toBe(200);
    for (const s of next.body.sites) {
      expect([north, east, far]).not.toContain(s.siteId);
      expect(s.distanceKm).toBeGreaterThanOrEqual(111.195);
    }
  });

  it("openNow: a site open until two minutes from now is listed, one that closed two minutes ago is not", async () => {
    const token = await authorityToken();
    const { day, minutes } = shanghaiNow();
    const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
    const stillOpen = await addSite(token, {
      districtCode: "511002",
      openingHours: {
        [day]: [[clock(Math.max(0, minutes - 60)), minutes + 2 >= 1440 ? "24:00" : clock(minutes + 2)]],
      },
    });
    const justClosed = await addSite(token, {
      districtCode: "511002",
      openingHours:
        minutes >= 2
          ? { [day]: [[clock(Math.max(0, minutes - 60)), clock(minutes - 2 + (minutes - 2 === 0 ? 1 : 0))]] }
          : { [yesterday]: [["20:00", "23:58"]] },
    });
    const open = await call("GET", "/v1/testing-sites?districtCode=511002&openNow=true");
    expect(open.status).toBe(200);
    expect(open.body.sites.map((s: { siteId: string }) => s.siteId)).toEqual([stillOpen]);

    const all = await call("GET", "/v1/testing-sites?districtCode=511002");
    const byId = Object.fromEntries(
      all.body.sites.map((s: { siteId: string; openNow: boolean }) => [s.siteId, s.openNow]),
    );
    expect(byId).toEqual({ [stillOpen]: true, [justClosed]: false });
  });

  it("is cacheable, and a directory change shows at once", async () => {
    const token = await authorityToken();
    const siteId = await addSite(token, { districtCode: "511102", name: "乐山采样点" });
    const url = "/v1/testing-sites?districtCode=511102";
    const first = await call("GET", url);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    expect(first.headers.get("x-cache")).toBe("MISS");
    const second = await call("GET", url);
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.body).toEqual(first.body);

    const patched = await call("PATCH", `/v1/authority/testing-sites/${siteId}`, {
      token,
      body: { name: "乐山市中区采样点" },
    });
    expect(patched.status).toBe(200);
    const third = await call("GET", url);
    expect(third.headers.get("x-cache")).toBe("MISS");
    expect(third.body.sites[0]?.name).toBe("乐山市中区采样点");

    expect((await call("DELETE", `/v1/authority/testing-sites/${siteId}`, { token })).status).toBe(204);
    expect((await call("GET", url)).body.sites).toEqual([]);
  });

  it("audits directory changes", async () => {
    const token = await authorityToken();
    const siteId = await addSite(token);
    const { env } = await import("../helpers/api");
    const row = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ?")
      .bind(siteId)
      .first<{ action: string }>();
    expect(row?.action).toBe("testing_site.create");
  });
});
