/**
 * Venues turned against people (issue 18), tried as an attacker with ordinary accounts would: each
 * test is an attack that worked before venues were verified, limited and asked for proof of presence.
 */
import { decodeJwt } from "jose";
import { describe, expect, it, vi } from "vitest";
import { subscriptionByEndpoint } from "../../workers/push/repo";
import { authorityToken, call, type ExplainedStatus, env, first, idToken } from "../helpers/api";
import { auditRows } from "../helpers/audit";
import { applicant, freshResidentId } from "../helpers/identities";
import { browser } from "../helpers/push";
import {
  aPerson,
  aVenue,
  aVerifiedVenue,
  CHENGDU,
  personVisits,
  touchedBy,
  venueRows,
} from "../routes/venues.fixtures";

const HOUR = 3_600_000;
const NAME = "张小三"; // what aPerson applies with
const iso = (ms: number) => new Date(ms).toISOString();
const window = () => ({ from: iso(Date.now() - HOUR), to: iso(Date.now() + HOUR) });
type Someone = { token: string; personId: string };

const status = async (p: Someone) =>
  (await call<ExplainedStatus>("GET", `/v1/persons/${p.personId}/status`, { token: p.token })).body;
const colorOf = async (p: Someone) => (await status(p)).color as string;
/** The exposure fan-out (queue → person objects) has reached someone for this designation. */
async function fannedOut(area: string): Promise<void> {
  await vi.waitUntil(async () => (await touchedBy(area)).size > 0, { timeout: 20_000, interval: 200 });
}

async function designate(body: Record<string, unknown>) {
  return call("POST", "/v1/authority/risk-areas", { token: await authorityToken(), body });
}

async function audits(action: string, actorLike: string) {
  // A device's rows about a person are on that person's shard; its others in the registry.
  const results = await auditRows("action = ? AND actor LIKE ?", action, actorLike);
  return results.map((r) => JSON.parse(r.detail!));
}

describe("anyone can make anyone yellow with an identity number", () => {
  it("an unverified venue's manual entry with a victim's identity is refused, and no designation turns the victim yellow", async () => {
    const attacker = await aPerson("attacker");
    const victim = await aPerson("victim");
    const venue = await aVenue(attacker.token, { districtCode: "510104" });
    const entry = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: "随便", phone: "13800000000", idType: "resident_id", idNumber: victim.idNumber },
    });
    expect(entry.status).toBe(403);
    expect(entry.headers.get("content-type")).toContain("application/problem+json");
    // A never-applied identity is refused the same way: nothing waits for it to apply.
    const unborn = freshResidentId();
    const entry2 = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: "随便", phone: "13800000000", idType: "resident_id", idNumber: unborn },
    });
    expect(entry2.status).toBe(403);
    expect(await audits("venue.manual_entry_refused", `${venue.venueId}/%`)).toEqual([
      { venueId: venue.venueId, why: "unverified" },
      { venueId: venue.venueId, why: "unverified" },
    ]);
    // The attacker's own visitors at the unverified venue are not reached by a district designation either.
    await call("POST", "/v1/checkins", {
      token: attacker.token,
      body: { placeCode: venue.placeCode, personId: attacker.personId, location: CHENGDU },
    });
    const area = await designate({
      level: "high",
      districtCode: "510104",
      ...window(),
      reason: "district test",
    });
    expect(area.status).toBe(201);
    const covered = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM risk_area_venues WHERE risk_area_id = ? AND venue_id = ?",
    )
      .bind(area.body.riskAreaId, venue.venueId)
      .first<{ n: number }>();
    expect(covered!.n).toBe(0);
    expect(await colorOf(victim)).toBe("green");
    expect(await colorOf(attacker)).toBe("green");
    const late = await idToken(`unborn-${unborn}`, { idType: "resident_id", idNumber: unborn });
    const applied = await call("POST", "/v1/persons", { token: late, body: applicant(unborn) });
    expect(applied.body.color).toBe("green");
  });

  it("a verified venue's identified manual entries are rate-limited per venue (429 + Retry-After, audited) and unconfirmed", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const low = { ...env, MANUAL_ENTRY_LIMIT_PER_HOUR: "5" } as Env;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await call("POST", "/v1/venue/manual-entries", {
        token: venue.deviceKey,
        env: low,
        body: { name: "王五", phone: "13900001111", idType: "resident_id", idNumber: freshResidentId() },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    expect((await audits("venue.manual_entry_refused", `${venue.venueId}/%`)).map((d) => d.why)).toEqual([
      "rate_limited",
      "rate_limited",
      "rate_limited",
    ]);
    const rows = await venueRows(venue.venueId);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.presence))).toEqual(new Set(["unconfirmed"]));
  });
});

describe("the staff look-up is not an identity-number oracle", () => {
  it("an account holds at most 20 venues and 20 live keys a venue (409, audited); look-ups over 30 keys stop at the account's limit", async () => {
    const attacker = await aPerson("oracle");
    const venues = [await aVerifiedVenue(attacker.token), await aVerifiedVenue(attacker.token)];
    for (let i = 2; i < 20; i++) await aVenue(attacker.token, { name: `shop ${i}` });
    const extraVenue = await call("POST", "/v1/venues", {
      token: attacker.token,
      body: { name: "one too many", category: "other", address: "x", districtCode: "510104" },
    });
    expect(extraVenue.status).toBe(409);
    const keys = [venues[0]!.deviceKey, venues[1]!.deviceKey];
    const add = (venueId: string) =>
      call("POST", `/v1/venues/${venueId}/device-keys`, { token: attacker.token, body: {} });
    for (let i = 1; i < 20; i++) keys.push((await add(venues[0]!.venueId)).body.deviceKey);
    expect((await add(venues[0]!.venueId)).status).toBe(409);
    for (let i = 1; i < 10; i++) keys.push((await add(venues[1]!.venueId)).body.deviceKey);
    expect(keys.length).toBe(30);
    expect(new Set(keys).size).toBe(30);
    const refusals = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE action IN ('venue.register_refused', 'venue.device_key_refused') AND actor LIKE ?",
    )
      .bind("%oracle%")
      .all<{ action: string }>();
    expect(refusals.results.map((r) => r.action).sort()).toEqual([
      "venue.device_key_refused",
      "venue.register_refused",
    ]);

    // The search: a known name and birth date, candidate numbers; 10 look-ups an hour for the account.
    const low = { ...env, LOOKUP_LIMIT_PER_HOUR: "10" } as Env;
    const victim = await aPerson("oracle-victim");
    const answered: number[] = [];
    for (const [i, key] of keys.entries()) {
      const res = await call("POST", "/v1/venue/lookup", {
        token: key,
        env: low,
        body: { idType: "resident_id", idNumber: i === 29 ? victim.idNumber : freshResidentId(), name: NAME },
      });
      answered.push(res.status);
    }
    expect(answered.filter((s) => s !== 429)).toHaveLength(10);
    expect(answered.slice(10).every((s) => s === 429)).toBe(true);
    // The victim's number, tried on the 30th key, was never answered.
    expect(answered[29]).toBe(429);
  });

  it("an unverified venue cannot look anyone up", async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token);
    const victim = await aPerson("victim");
    const res = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: victim.idNumber, name: NAME },
    });
    expect(res.status).toBe(403);
    expect((await audits("venue.lookup", `${venue.venueId}/%`)).map((d) => d.result)).toEqual([
      "refused_unverified",
    ]);
  });
});

describe("paper codes stop being green offline once their holder is not", () => {
  it("a paper code is refused by signature-only verification, and is in the next bundle's revocations, once its holder is red", async () => {
    const holder = await aPerson("paper");
    const paper = await call("POST", `/v1/persons/${holder.personId}/paper-code`, {
      token: holder.token,
      body: { days: 7 },
    });
    expect(paper.status).toBe(201);
    const token = paper.body.token as string;
    const offline = () => call("POST", "/v1/verify?mode=signature", { body: { token } });
    expect((await offline()).body).toMatchObject({ valid: true, color: "green" });
    const event = await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: {
        idType: "resident_id",
        idNumber: holder.idNumber,
        kind: "close_contact",
        occurredAt: iso(Date.now() - 60_000),
        reason: "Close contact of a confirmed case (test)",
      },
    });
    expect(event.status).toBe(202);
    await vi.waitUntil(async () => (await colorOf(holder)) === "red", { timeout: 20_000, interval: 200 });
    // The revocation leaves through the person object's outbox; the online list is cached for 30 s.
    await vi.waitUntil(async () => (await offline()).body.valid === false, {
      timeout: 60_000,
      interval: 500,
    });
    expect((await offline()).body).toEqual({ valid: false, reason: "revoked" });
    const rid = decodeJwt(token).rid as string;
    const bundle = decodeJwt((await call("GET", "/v1/verifier-bundle")).body.bundle) as {
      revocations: Record<string, string[]>;
    };
    expect(Object.values(bundle.revocations).flat()).toContain(rid);
    const list = await call("GET", `/v1/persons/${holder.personId}/paper-codes`, { token: holder.token });
    expect(list.body.paperCodes[0]?.revokedAt).not.toBeNull();
    // Audited, once, whatever the outbox retried.
    const rows = await auditRows("action = 'paper-code.revoke-on-color' AND target = ?", holder.personId);
    expect(rows.length).toBe(1);
  });
});

describe("presence is not easy to fake", () => {
  it("a check-in without a location is unconfirmed; the dry run counts it and excludeUnconfirmed leaves it out", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token, { districtCode: "510108" });
    const remote = await aPerson("remote"); // a photo of the poster, no location
    const there = await aPerson("there");
    const r1 = await call("POST", "/v1/checkins", {
      token: remote.token,
      body: { placeCode: venue.placeCode, personId: remote.personId },
    });
    expect(r1.body.presence).toBe("unconfirmed");
    const r2 = await call("POST", "/v1/checkins", {
      token: there.token,
      body: { placeCode: venue.placeCode, personId: there.personId, location: CHENGDU },
    });
    expect(r2.body.presence).toBe("location");
    const body = { level: "high", venueIds: [venue.venueId], ...window(), reason: "presence test" };
    const dry = await designate({ ...body, dryRun: true });
    expect(dry.body).toMatchObject({
      affectedPersons: 2,
      unconfirmedOnly: 1,
      unconfirmedByCause: { manualEntry: 0, olderScan: 0, unconfirmedCheckIn: 1 },
    });
    const dryExcl = await designate({ ...body, dryRun: true, excludeUnconfirmed: true });
    expect(dryExcl.body).toMatchObject({ affectedPersons: 1, unconfirmedOnly: 1, excludeUnconfirmed: true });
    const area = await designate({ ...body, excludeUnconfirmed: true });
    expect(area.status).toBe(201);
    await vi.waitUntil(async () => (await colorOf(there)) === "yellow", { timeout: 20_000, interval: 200 });
    await fannedOut(area.body.riskAreaId);
    expect(await colorOf(remote)).toBe("green");
    // The person sees how the visit exposing them was recorded.
    const reasons = (await status(there)).reasons;
    expect(reasons[0]?.exposures?.[0]).toMatchObject({ checkInId: r2.body.checkInId, presence: "location" });
    // A later unconfirmed check-in while the designation is in force is left out too.
    const later = await aPerson("later");
    await call("POST", "/v1/checkins", {
      token: later.token,
      body: { placeCode: venue.placeCode, personId: later.personId },
    });
    expect(await colorOf(later)).toBe("green");
  });

  it("a live code seen by one venue's device cannot be replayed at another venue's scanner", async () => {
    const victim = await aPerson("seen");
    const owner = await aPerson("owner");
    const a = await aVerifiedVenue(owner.token, { name: "A" });
    const b = await aVerifiedVenue(owner.token, { name: "B" });
    const code = (await call("GET", `/v1/persons/${victim.personId}/code`, { token: victim.token })).body
      .token;
    const first = await call("POST", "/v1/venue/scan", { token: a.deviceKey, body: { token: code } });
    expect(first.body).toMatchObject({ valid: true, presence: "staff_scan" });
    const replay = await call("POST", "/v1/venue/scan", { token: b.deviceKey, body: { token: code } });
    expect(replay.body).toEqual({ valid: false, reason: "used_elsewhere", entry: "deny" });
    expect((await personVisits(victim.personId)).map((r) => r.venueId)).toEqual([a.venueId]);
    expect(await venueRows(b.venueId)).toEqual([]);
    // The person, really at B, refreshes the code (a new one: codes are dated in whole seconds) and is scanned.
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = (await call("GET", `/v1/persons/${victim.personId}/code`, { token: victim.token })).body
      .token;
    const ok = await call("POST", "/v1/venue/scan", { token: b.deviceKey, body: { token: fresh } });
    expect(ok.body).toMatchObject({ valid: true, presence: "staff_scan" });
  });

  it("a paper code replayed at a risk venue does not make its holder yellow when the designation excludes unconfirmed visits", async () => {
    const holder = await aPerson("paper-replay");
    const owner = await aPerson("owner");
    const risky = await aVerifiedVenue(owner.token, { name: "风险市场" });
    const area = await designate({
      level: "high",
      venueIds: [risky.venueId],
      ...window(),
      reason: "replay test",
      excludeUnconfirmed: true,
    });
    expect(area.status).toBe(201);
    const paper = await call("POST", `/v1/persons/${holder.personId}/paper-code`, {
      token: holder.token,
      body: {},
    });
    const scan = await call("POST", "/v1/venue/scan", {
      token: risky.deviceKey,
      body: { token: paper.body.token },
    });
    expect(scan.body).toMatchObject({ valid: true, kind: "paper", presence: "unconfirmed" });
    expect(await colorOf(holder)).toBe("green");
    // Control: someone really at the door, whose live code is scanned, is reached.
    const present = await aPerson("at-the-door");
    const live = (await call("GET", `/v1/persons/${present.personId}/code`, { token: present.token })).body
      .token;
    const scan2 = await call("POST", "/v1/venue/scan", { token: risky.deviceKey, body: { token: live } });
    expect(scan2.body.presence).toBe("staff_scan");
    expect(await colorOf(present)).toBe("yellow");
    expect(await colorOf(holder)).toBe("green");
  });
});

describe("a person can appeal a check-in they did not make", () => {
  it("an upheld appeal voids the check-in and the exposure it caused; the history says why; audited", async () => {
    const victim = await aPerson("appeal-victim");
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token, { name: "某海鲜市场" });
    const entry = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: NAME, phone: "13800000000", idType: "resident_id", idNumber: victim.idNumber },
    });
    expect(entry.status).toBe(201);
    const area = await designate({
      level: "high",
      venueIds: [venue.venueId],
      ...window(),
      reason: "cluster",
    });
    expect(area.status).toBe(201);
    await vi.waitUntil(async () => (await colorOf(victim)) === "yellow", { timeout: 20_000, interval: 200 });
    const mine = await call("GET", `/v1/persons/${victim.personId}/checkins`, { token: victim.token });
    const visit = first(mine.body.checkins, "victim's check-ins");
    expect(visit).toMatchObject({ kind: "manual", presence: "unconfirmed", voidedAt: null });
    // Someone else cannot appeal it for them, nor name a check-in that is not theirs.
    const stranger = await aPerson("stranger");
    const notTheirs = await call("POST", `/v1/persons/${stranger.personId}/appeals`, {
      token: stranger.token,
      body: { kind: "appeal", text: "not me", checkInId: visit.checkInId },
    });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.body.errors?.[0]?.path).toBe("checkInId");
    const appeal = await call("POST", `/v1/persons/${victim.personId}/appeals`, {
      token: victim.token,
      body: { kind: "appeal", text: "I was never at this market", checkInId: visit.checkInId },
    });
    expect(appeal.status).toBe(201);
    expect(appeal.body.checkInId).toBe(visit.checkInId);
    const answer = { answer: "The venue entered the wrong number; voided.", upheld: true };
    const auth = await authorityToken();
    const res = await call("POST", `/v1/authority/appeals/${appeal.body.appealId}/answer`, {
      token: auth,
      body: answer,
    });
    expect(res.status).toBe(200);
    expect(res.body.upheld).toBe(true);
    expect(await colorOf(victim)).toBe("green");
    // A retry of the same answer changes nothing more.
    expect(
      (
        await call("POST", `/v1/authority/appeals/${appeal.body.appealId}/answer`, {
          token: auth,
          body: answer,
        })
      ).status,
    ).toBe(200);
    const st = await status(victim);
    expect(st.history[0]).toMatchObject({
      from: "yellow",
      to: "green",
      voided: [{ checkInId: visit.checkInId }],
    });
    const after = await call("GET", `/v1/persons/${victim.personId}/checkins`, { token: victim.token });
    expect(after.body.checkins[0]?.voidedAt).not.toBeNull();
    // A later designation of the same venue does not bring the voided visit back.
    const again = await designate({
      level: "high",
      venueIds: [venue.venueId],
      ...window(),
      reason: "again",
      dryRun: true,
    });
    expect(again.body.affectedPersons).toBe(0);
    const audited = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'appeal.answer' AND target = ?",
    )
      .bind(victim.personId)
      .all<{ detail: string }>();
    expect(audited.results.map((r) => JSON.parse(r.detail))).toEqual([
      { appealId: appeal.body.appealId, event: null, checkInId: visit.checkInId, upheld: true },
    ]);
  });
});

describe("a push subscription cannot be taken over", () => {
  it("a second account posting the same endpoint gets 409 and moves nothing", async () => {
    const owner = await idToken("push-victim");
    const thief = await idToken("push-thief");
    const b = await browser();
    expect(
      (await call("POST", "/v1/push/subscriptions", { token: owner, body: { subscription: b.subscription } }))
        .status,
    ).toBe(201);
    const before = await subscriptionByEndpoint(env, b.subscription.endpoint);
    const other = await browser(b.subscription.endpoint); // the thief's own keys
    const res = await call("POST", "/v1/push/subscriptions", {
      token: thief,
      body: { subscription: other.subscription },
    });
    expect(res.status).toBe(409);
    expect(await subscriptionByEndpoint(env, b.subscription.endpoint)).toEqual(before);
  });
});

describe("history keeps names as they were; reopened venues keep old posters void", () => {
  it("renaming a venue to a notorious market rewrites no visitor's history", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token, { name: "社区图书馆" });
    const visitor = await aPerson("reader");
    await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU },
    });
    const renamed = await call("PATCH", `/v1/venues/${venue.venueId}`, {
      token: owner.token,
      body: { name: "华南海鲜市场" },
    });
    expect(renamed.status).toBe(200);
    // A renamed venue is no longer what the authority verified.
    expect(renamed.body.status).toBe("unverified");
    const mine = await call("GET", `/v1/persons/${visitor.personId}/checkins`, { token: visitor.token });
    expect(mine.body.checkins.map((c) => c.venueName)).toEqual(["社区图书馆"]);
    // An exposure from that visit names the venue as it was, too.
    const area = await designate({
      level: "medium",
      venueIds: [venue.venueId],
      ...window(),
      reason: "names",
    });
    expect(area.status).toBe(201);
    await vi.waitUntil(async () => (await colorOf(visitor)) === "yellow", { timeout: 20_000, interval: 200 });
    expect((await status(visitor)).reasons[0]?.exposures?.[0]?.venueName).toBe("社区图书馆");
  });

  it("reopening a closed venue leaves posters printed before it closed void", async () => {
    const owner = await aPerson("owner");
    const venue = await aVenue(owner.token);
    const visitor = await aPerson("visitor");
    expect((await call("DELETE", `/v1/venues/${venue.venueId}`, { token: owner.token })).status).toBe(204);
    const reopened = await call("PATCH", `/v1/venues/${venue.venueId}`, {
      token: owner.token,
      body: { closed: false },
    });
    expect(reopened.status).toBe(200);
    const old = await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU },
    });
    expect(old.status).toBe(422);
    expect(old.body.type).toContain("place-code-revoked");
  });
});
