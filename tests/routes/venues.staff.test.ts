import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { VenueObject } from "../../durable/venue";
import { call, env } from "../helpers/api";
import { auditRows } from "../helpers/audit";
import { residentId } from "../helpers/identities";
import { aPerson, aVenue, aVerifiedVenue, personVisits, venueRows } from "./venues.fixtures";

const NAME = "张小三"; // what aPerson applies with (tests/helpers/identities.ts)
const PHONE = "13812345678";

describe("staff scan", () => {
  it("verifies the code, adds the masked name and an entry verdict, and records a scan check-in", async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token);
    const visitor = await aPerson("visitor");
    const code = (await call("GET", `/v1/persons/${visitor.personId}/code`, { token: visitor.token })).body
      .token;
    const res = await call("POST", "/v1/venue/scan", { token: venue.deviceKey, body: { token: code } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: true,
      color: "green",
      current: true,
      maskedName: "张*三",
      entry: "pass",
      // A live code issued seconds ago: the person is at the door.
      presence: "staff_scan",
    });
    expect(res.body).not.toHaveProperty("personId");
    const rows = await venueRows(venue.venueId);
    expect(rows.map((r) => [r.check_in_id, r.kind, r.presence])).toEqual([
      [res.body.checkInId, "scan", "staff_scan"],
    ]);
    expect((await personVisits(visitor.personId)).map((r) => r.checkInId)).toEqual([res.body.checkInId]);

    const bad = await call("POST", "/v1/venue/scan", { token: venue.deviceKey, body: { token: "garbage" } });
    expect(bad.body).toEqual({ valid: false, reason: "malformed", entry: "deny" });
    expect((await call("POST", "/v1/venue/scan", { token: owner.token, body: { token: code } })).status).toBe(
      401,
    );
  });
});

describe("staff look-up", () => {
  it("answers colour and masked name for the right identity and name; 404 alike for unknown or wrong name; audited", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const ok = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: visitor.idNumber.toLowerCase(), name: ` ${NAME} ` },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ color: "green", maskedName: "张*三", entry: "pass" });
    const wrongName = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: visitor.idNumber, name: "李四" },
    });
    const unknown = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: {
        idType: "resident_id",
        idNumber: residentId("510104", "19700101", 999),
        name: NAME,
      },
    });
    expect(wrongName.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe(wrongName.body.detail);
    expect(wrongName.body.detail).toBe("No person with this identity and name");

    const audits = await auditRows(
      "action = 'venue.lookup' AND actor = ?",
      `${venue.venueId}/${venue.deviceKeyId}`,
    );
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(audits[0]!.target).toBe(visitor.personId);
    expect(JSON.parse(audits[0]!.detail!)).toMatchObject({ result: "found", venueId: venue.venueId });
    expect(JSON.stringify(audits)).not.toContain(visitor.idNumber);
  });

  it("is rate-limited per owning account, across its venues: over the hourly limit → 429 with Retry-After, and audited", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const sameOwner = await aVerifiedVenue(owner.token, { name: "same owner" });
    const otherOwner = await aPerson("other-owner");
    const other = await aVerifiedVenue(otherOwner.token, { name: "other" });
    const visitor = await aPerson("visitor");
    const lowLimit = { ...env, LOOKUP_LIMIT_PER_HOUR: "3" } as Env;
    const look = (key: string) =>
      call("POST", "/v1/venue/lookup", {
        token: key,
        env: lowLimit,
        body: { idType: "resident_id", idNumber: visitor.idNumber, name: NAME },
      });
    for (let i = 0; i < 3; i++) expect((await look(venue.deviceKey)).status).toBe(200);
    const limited = await look(venue.deviceKey);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    // Another venue of the same account shares the budget; another account's is its own.
    expect((await look(sameOwner.deviceKey)).status).toBe(429);
    expect((await look(other.deviceKey)).status).toBe(200);
    const results = await auditRows(
      "action = 'venue.lookup' AND actor = ?",
      `${venue.venueId}/${venue.deviceKeyId}`,
    );
    expect(results.map((r) => JSON.parse(r.detail!).result)).toEqual([
      "found",
      "found",
      "found",
      "rate_limited",
    ]);
  });
});

describe("no-code lane", () => {
  it("records a visitor with name and phone encrypted; with an identity the visit joins exposure as a check-in", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const plain = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: "王五", phone: "13900001111" },
    });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ maskedName: "王*", identified: false });
    const ided = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: NAME, phone: PHONE, idType: "resident_id", idNumber: visitor.idNumber },
    });
    expect(ided.status).toBe(201);
    expect(ided.body.identified).toBe(true);
    const rows = await venueRows(venue.venueId);
    // Nothing proves the person was there: counted apart in a designation's dry run.
    expect(rows.map((r) => [r.person_id, r.kind, r.entry_id, r.presence])).toEqual([
      [visitor.personId, "manual", ided.body.entryId, "unconfirmed"],
    ]);
    expect((await personVisits(visitor.personId)).map((r) => r.entryId)).toEqual([ided.body.entryId]);
    const half = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: "x", phone: PHONE, idNumber: visitor.idNumber },
    });
    expect(half.status).toBe(400);
    expect(half.body.errors?.[0]?.path).toBe("idType");
  });

  it("after every lane has run, no identity number, name or phone is in clear in any D1 table", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: venue.placeCode, personId: visitor.personId },
    });
    await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: visitor.idNumber, name: NAME },
    });
    await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: "赵六六", phone: "13700002222", idType: "resident_id", idNumber: visitor.idNumber },
    });
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
    ).all<{ name: string }>();
    let dump = "";
    for (const { name } of tables.results)
      dump += JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
    expect(dump.length).toBeGreaterThan(1000);
    // The venue's object holds the entry (name and phone encrypted) and the visits.
    const stored = await runInDurableObject(
      env.VENUE.getByName(venue.venueId),
      async (_: VenueObject, state) =>
        JSON.stringify([
          state.storage.sql.exec("SELECT * FROM manual_entries").toArray(),
          state.storage.sql.exec("SELECT * FROM checkins").toArray(),
        ]),
    );
    expect(stored).toContain(visitor.personId);
    for (const secret of [visitor.idNumber, NAME, PHONE, "赵六六", "13700002222"]) {
      expect(dump, secret).not.toContain(secret);
      expect(stored, secret).not.toContain(secret);
    }
  });
});
