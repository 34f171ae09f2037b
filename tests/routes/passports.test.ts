import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken, labKey } from "../helpers/api";
import { aPerson, aVenue } from "./venues.fixtures";

// Passport numbers are unique only within their issuing state (../shared/API.md, Conventions).
const NUMBER = "C01X00T47";
const passport = (nationality?: string) => ({
  idType: "passport",
  idNumber: NUMBER,
  ...(nationality ? { nationality } : {}),
});
const apply = (nationality: string, name: string) => ({
  ...passport(nationality),
  name,
  phone: "+33 6 12 34 56 78",
  relationship: "self",
});
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe("passports are keyed with their issuing state", () => {
  it("two states' passports with the same number are two persons, and facts land on the right one", async () => {
    const fra = await idToken("passport-fra");
    const deu = await idToken("passport-deu");
    const a = await call("POST", "/v1/persons", { token: fra, body: apply("FRA", "Anne Martin") });
    const b = await call("POST", "/v1/persons", { token: deu, body: apply("DEU", "Bernd Müller") });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.personId).not.toBe(a.body.personId);

    // The same number and state is still the same person (applying again answers 200).
    const again = await call("POST", "/v1/persons", { token: fra, body: apply("fra", "Anne Martin") });
    expect(again.status).toBe(200);
    expect(again.body.personId).toBe(a.body.personId);

    // An authority event naming the German passport reaches the German holder only.
    const event = await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: {
        ...passport("DEU"),
        kind: "confirmed",
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        reason: "Positive test reported by the border station",
      },
    });
    expect(event.status).toBe(202);
    expect(event.body.personId).toBe(b.body.personId);
    const statusOf = async (token: string, personId: string) =>
      (await call("GET", `/v1/persons/${personId}/status`, { token })).body.color;
    expect(await statusOf(deu, b.body.personId)).toBe("red");
    expect(await statusOf(fra, a.body.personId)).toBe("green");
  });

  it("a login asserting a passport binds only with the same issuing state", async () => {
    const number = "P7654321";
    const token = await idToken("asserted-passport", {
      idType: "passport",
      idNumber: number,
      nationality: "JPN",
    });
    const body = { name: "Sato Ken", phone: "+81 90 1234 5678", relationship: "self", idType: "passport" };
    const other = await call("POST", "/v1/persons", {
      token,
      body: { ...body, idNumber: number, nationality: "KOR" },
    });
    expect(other.status).toBe(403);
    const own = await call("POST", "/v1/persons", {
      token,
      body: { ...body, idNumber: number, nationality: "JPN" },
    });
    expect(own.status).toBe(201);
  });
});

describe("a passport without nationality → 400 naming the field, on every route that names an identity", () => {
  it("applications", async () => {
    const res = await call("POST", "/v1/persons", {
      token: await idToken("no-nationality"),
      body: { ...passport(), name: "Anne Martin", phone: "+33 6 12 34 56 78", relationship: "self" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(paths(res.body)).toEqual(["nationality"]);
  });

  it("lab results", async () => {
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const item = (sampleId: string, p: Record<string, unknown>) => ({
      sampleId,
      ...p,
      name: "Anne Martin",
      test: "nucleic_acid",
      result: "negative",
      sampledAt: at(7_200_000),
      reportedAt: at(3_600_000),
    });
    const res = await call("POST", "/v1/lab/results", {
      token: await labKey(),
      body: {
        results: [
          item("pp-0", passport("FRA")),
          item("pp-1", passport("FRA")),
          item("pp-2", passport("FRA")),
          item("pp-3", passport()),
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["results.3.nationality"]);
  });

  it("vaccination records", async () => {
    const site = await call("POST", "/v1/authority/vaccination-sites", {
      token: await authorityToken(),
      body: { name: "接种点", districtCode: "510104" },
    });
    const record = (recordId: string, p: Record<string, unknown>) => ({
      recordId,
      ...p,
      name: "Anne Martin",
      product: "CoronaVac",
      dose: 1,
      date: "2026-03-01",
    });
    const res = await call("POST", "/v1/vaccination/records", {
      token: site.body.siteKey,
      body: { records: [record("v0", passport("FRA")), record("v1", passport())] },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["records.1.nationality"]);
  });

  it("authority events", async () => {
    const res = await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: { ...passport(), kind: "close_contact", occurredAt: new Date().toISOString(), reason: "流调" },
    });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(["nationality"]);
  });

  it("staff look-ups and manual entries", async () => {
    const owner = await aPerson("pp-owner");
    const venue = await aVenue(owner.token);
    await call("POST", `/v1/authority/venues/${venue.venueId}/verify`, { token: await authorityToken() });
    const lookup = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { ...passport(), name: "Anne Martin" },
    });
    expect(lookup.status).toBe(400);
    expect(paths(lookup.body)).toEqual(["nationality"]);
    const manual = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { ...passport(), name: "Anne Martin", phone: "13900001111" },
    });
    expect(manual.status).toBe(400);
    expect(paths(manual.body)).toEqual(["nationality"]);
  });

  it("imports reject the line, naming the field, and take the others", async () => {
    const line = (p: Record<string, unknown>, since: string) =>
      JSON.stringify({
        ...p,
        name: "Anne Martin",
        color: "yellow",
        reason: "入境隔离",
        since,
        source: "border-2026",
      });
    const res = await call("POST", "/v1/authority/imports", {
      token: await authorityToken(),
      rawBody: `${line(passport("FRA"), "2026-11-01T00:00:00Z")}\n${line(passport(), "2026-11-01T00:00:00Z")}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toEqual([{ line: 2, message: expect.stringMatching(/^nationality: /) }]);
  });
});
