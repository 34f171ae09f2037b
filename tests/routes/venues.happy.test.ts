import { describe, expect, it } from "vitest";
import { call, env, type OpenApiDocument } from "../helpers/api";
import { aPerson, aVenue, CHENGDU, personVisits, venueRows } from "./venues.fixtures";

describe("venue registration and management", () => {
  it("registers a venue with a signed place code and a device key shown once", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    expect(v.venueId).toMatch(/^ven_/);
    expect(v.deviceKey).toMatch(/^dev_/);
    // Compact: venue id (without ven_), generation 1, a 96-bit MAC.
    expect(v.placeCode).toBe(`${v.venueId.slice(4)}~1~${v.placeCode.split("~")[2]}`);
    expect(v.placeCode.split("~")[2]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(v.checkInUrl).toBe(`https://healthpass.test/c/${v.placeCode}`);
    // Only the hash of the device key is stored.
    const keys = await env.DB.prepare("SELECT key_hash FROM api_keys WHERE owner_id = ?")
      .bind(v.venueId)
      .all<{ key_hash: string }>();
    expect(keys.results).toHaveLength(1);
    expect(keys.results[0]!.key_hash).not.toContain(v.deviceKey);

    const list = await call("GET", "/v1/venues", { token: owner.token });
    expect(list.body.venues.map((x: { venueId: string }) => x.venueId)).toContain(v.venueId);
    const other = await aPerson("other");
    expect((await call("GET", "/v1/venues", { token: other.token })).body.venues).toEqual([]);
  });

  it("refuses an unknown district code and a bad category with 400 naming the field", async () => {
    const owner = await aPerson("owner");
    const bad = await call("POST", "/v1/venues", {
      token: owner.token,
      body: { name: "x", category: "market", address: "y", districtCode: "999999" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("districtCode");
    const cat = await call("POST", "/v1/venues", {
      token: owner.token,
      body: { name: "x", category: "casino", address: "y", districtCode: "510104" },
    });
    expect(cat.status).toBe(400);
    expect(cat.body.errors?.[0]?.path).toBe("category");
  });

  it("only the owner edits; another account gets 404", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    const edited = await call("PATCH", `/v1/venues/${v.venueId}`, {
      token: owner.token,
      body: { name: "新名字" },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe("新名字");
    const other = await aPerson("other");
    expect(
      (await call("PATCH", `/v1/venues/${v.venueId}`, { token: other.token, body: { name: "hijack" } }))
        .status,
    ).toBe(404);
    expect((await call("DELETE", `/v1/venues/${v.venueId}`, { token: other.token })).status).toBe(404);
  });

  it("adds and revokes device keys; a revoked key no longer scans", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    const added = await call("POST", `/v1/venues/${v.venueId}/device-keys`, {
      token: owner.token,
      body: { label: "gate 2" },
    });
    expect(added.status).toBe(201);
    const keys = await call("GET", `/v1/venues/${v.venueId}/device-keys`, { token: owner.token });
    expect(keys.body.keys.map((k) => k.label)).toEqual(["first device", "gate 2"]);
    expect(JSON.stringify(keys.body)).not.toContain(added.body.deviceKey);
    const scan = (key: string) => call("POST", "/v1/venue/scan", { token: key, body: { token: "garbage" } });
    expect((await scan(added.body.deviceKey)).status).toBe(200);
    expect(
      (
        await call("DELETE", `/v1/venues/${v.venueId}/device-keys/${added.body.keyId}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(204);
    expect((await scan(added.body.deviceKey)).status).toBe(401);
    expect(
      (
        await call("DELETE", `/v1/venues/${v.venueId}/device-keys/${added.body.keyId}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it("closing a venue revokes its keys and refuses check-ins; its poster is withdrawn", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    expect((await call("DELETE", `/v1/venues/${v.venueId}`, { token: owner.token })).status).toBe(204);
    expect((await call("POST", "/v1/venue/scan", { token: v.deviceKey, body: { token: "x" } })).status).toBe(
      401,
    );
    const res = await call("POST", "/v1/checkins", {
      token: owner.token,
      body: { placeCode: v.placeCode, personId: owner.personId },
    });
    expect(res.status).toBe(409);
    expect((await call("GET", `/v1/venues/${v.venueId}/poster.svg`)).status).toBe(410);
  });
});

describe("poster", () => {
  it("is a public A4 SVG with the name, the category, instructions in both languages and a QR", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token, { name: "<script>alert(1)</script>" });
    const res = await call("GET", `/v1/venues/${v.venueId}/poster.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    const svg = res.body as string;
    expect(svg).toContain('width="210mm" height="297mm"');
    expect(svg).toContain("&#60;script&#62;");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("市场 · Market");
    expect(svg).toContain("扫码登记");
    expect(svg).toContain("Scan with your phone camera");
    expect(svg).toMatch(/<path d="(M\d+ \d+h\d+v1h-\d+z)+"/);
  });
});

describe("check-in", () => {
  it("checks in with the printed code and answers what to show the staff; a retry is the same visit", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    const visitor = await aPerson("visitor");
    const body = {
      placeCode: v.placeCode,
      personId: visitor.personId,
      location: { lat: CHENGDU.lat + 0.001, lon: CHENGDU.lon },
    };
    const first = await call("POST", "/v1/checkins", { token: visitor.token, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      venueName: "锦江农贸市场",
      color: "green",
      kind: "printed",
      presence: "location",
      distanceM: 111,
    });
    expect(Date.parse(first.body.checkedInAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await call("POST", "/v1/checkins", { token: visitor.token, body });
    expect(again.status).toBe(200);
    expect(again.body.checkInId).toBe(first.body.checkInId);
    expect(await personVisits(visitor.personId)).toHaveLength(1);
    expect((await venueRows(v.venueId)).map((r) => r.check_in_id)).toEqual([first.body.checkInId]);

    const mine = await call("GET", `/v1/persons/${visitor.personId}/checkins`, { token: visitor.token });
    expect(mine.body.checkins).toEqual([
      {
        checkInId: first.body.checkInId,
        venueId: v.venueId,
        venueName: "锦江农贸市场",
        kind: "printed",
        presence: "location",
        checkedInAt: first.body.checkedInAt,
        voidedAt: null,
      },
    ]);
    expect(
      (await call("GET", `/v1/persons/${visitor.personId}/checkins`, { token: owner.token })).status,
    ).toBe(403);
  });

  it("lists check-ins newest first, page by page", async () => {
    const owner = await aPerson("owner");
    const visitor = await aPerson("visitor");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await aVenue(owner.token, { name: `venue ${i}` });
      const r = await call("POST", "/v1/checkins", {
        token: visitor.token,
        body: { placeCode: v.placeCode, personId: visitor.personId },
      });
      ids.push(r.body.checkInId);
    }
    const res = await call("GET", `/v1/persons/${visitor.personId}/checkins`, { token: visitor.token });
    expect(res.body.checkins.map((c: { checkInId: string }) => c.checkInId)).toEqual(ids.reverse());
    expect(
      (
        await call("GET", `/v1/persons/${visitor.personId}/checkins?cursor=nonsense`, {
          token: visitor.token,
        })
      ).status,
    ).toBe(400);
  });

  it("a rotating code from the venue's screen checks in as kind rotating; another venue's key cannot get one", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    const byDevice = await call("GET", `/v1/venues/${v.venueId}/rotating-code`, { token: v.deviceKey });
    expect(byDevice.status).toBe(200);
    expect(byDevice.body.ttlSeconds).toBe(60);
    expect(Date.parse(byDevice.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(byDevice.body.qrSvg).toContain("<svg");
    expect((await call("GET", `/v1/venues/${v.venueId}/rotating-code`, { token: owner.token })).status).toBe(
      200,
    );
    const other = await aVenue(owner.token, { name: "other" });
    expect(
      (await call("GET", `/v1/venues/${v.venueId}/rotating-code`, { token: other.deviceKey })).status,
    ).toBe(403);

    const visitor = await aPerson("visitor");
    const res = await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: byDevice.body.placeCode, personId: visitor.personId },
    });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("rotating");
  });

  it("the owner sees check-ins per day and colours, without personal data", async () => {
    const owner = await aPerson("owner");
    const v = await aVenue(owner.token);
    for (let i = 0; i < 3; i++) {
      const p = await aPerson("stat");
      await call("POST", "/v1/checkins", {
        token: p.token,
        body: { placeCode: v.placeCode, personId: p.personId },
      });
    }
    const res = await call("GET", `/v1/venues/${v.venueId}/stats`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(1);
    expect(res.body.days[0]).toMatchObject({
      checkIns: 3,
      colors: { green: 3, yellow: 0, red: 0 },
      kinds: { printed: 3 },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/personId|ci_/);
    expect(
      (await call("GET", `/v1/venues/${v.venueId}/stats`, { token: (await aPerson("x")).token })).status,
    ).toBe(404);
  });

  it("every venue route is in /openapi.json", async () => {
    const doc = (await call<OpenApiDocument>("GET", "/openapi.json")).body;
    for (const path of [
      "/v1/venues",
      "/v1/venues/{venueId}",
      "/v1/venues/{venueId}/poster.svg",
      "/v1/venues/{venueId}/rotating-code",
      "/v1/venues/{venueId}/device-keys",
      "/v1/venues/{venueId}/device-keys/{keyId}",
      "/v1/venues/{venueId}/stats",
      "/v1/checkins",
      "/v1/persons/{personId}/checkins",
      "/v1/venue/scan",
      "/v1/venue/lookup",
      "/v1/venue/manual-entries",
      "/v1/authority/risk-areas",
      "/v1/authority/risk-areas/{riskAreaId}",
      "/v1/authority/risk-areas/{riskAreaId}/lift",
      "/v1/risk-areas",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
