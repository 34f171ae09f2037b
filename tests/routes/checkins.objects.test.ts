import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PersonObject } from "../../durable/person";
import type { VenueObject } from "../../durable/venue";
import { saveCheckIn } from "../../workers/venues/checkin-record";
import { call } from "../helpers/api";
import {
  aPerson,
  aVerifiedVenue,
  CHENGDU,
  d1RowCounts,
  personVisits,
  randomPersonId,
  venueRows,
} from "./venues.fixtures";

const NAME = "张小三"; // what aPerson applies with

/** The venue's copies removed behind the person's object's back: a later call there shows up again. */
const dropVenueCopies = (venueId: string) =>
  runInDurableObject(env.VENUE.getByName(venueId), (_, state) => {
    state.storage.sql.exec("DELETE FROM checkins");
  });

/** A verified venue and a visitor with an app, ready to check in there. */
async function aVisitorAtAVenue() {
  const owner = await aPerson("owner");
  const venue = await aVerifiedVenue(owner.token);
  const visitor = await aPerson("visitor");
  const body = { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU };
  const checkIn = () => call("POST", "/v1/checkins", { token: visitor.token, body });
  return { owner, venue, visitor, checkIn };
}

describe("check-ins live in venue and person objects, not in D1", () => {
  it("after a check-in, a scan and an identified manual entry, no D1 table gained a row; both objects hold the visits", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const other = await aPerson("other");
    const deskVisitor = await aPerson("desk");
    const otherCode = (await call("GET", `/v1/persons/${other.personId}/code`, { token: other.token })).body
      .token;
    const before = await d1RowCounts();

    const checkIn = await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU },
    });
    expect(checkIn.status).toBe(201);
    const scan = await call("POST", "/v1/venue/scan", { token: venue.deviceKey, body: { token: otherCode } });
    expect(scan.body).toMatchObject({ valid: true, presence: "staff_scan" });
    const manual = await call("POST", "/v1/venue/manual-entries", {
      token: venue.deviceKey,
      body: { name: NAME, phone: "13812345678", idType: "resident_id", idNumber: deskVisitor.idNumber },
    });
    expect(manual.status).toBe(201);

    expect(await d1RowCounts()).toEqual(before);
    const rows = await venueRows(venue.venueId);
    expect(rows.map((r) => [r.person_id, r.kind]).sort()).toEqual(
      [
        [visitor.personId, "printed"],
        [other.personId, "scan"],
        [deskVisitor.personId, "manual"],
      ].sort(),
    );
    // Each person sees their own.
    const mine = await call("GET", `/v1/persons/${visitor.personId}/checkins`, { token: visitor.token });
    expect(mine.body.checkins.map((c: { checkInId: string }) => c.checkInId)).toEqual([
      checkIn.body.checkInId,
    ]);
    expect((await personVisits(other.personId)).map((c) => c.kind)).toEqual(["scan"]);
    expect((await personVisits(deskVisitor.personId)).map((c) => c.entryId)).toEqual([manual.body.entryId]);
  });

  it("concurrent retries of one visit are one check-in in the person's and the venue's object", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const body = { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call("POST", "/v1/checkins", { token: visitor.token, body })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(11);
    expect(new Set(answers.map((a) => a.body.checkInId)).size).toBe(1);
    expect(await personVisits(visitor.personId)).toHaveLength(1);
    expect(await venueRows(venue.venueId)).toHaveLength(1);
    const stats = await call("GET", `/v1/venues/${venue.venueId}/stats`, { token: owner.token });
    expect(stats.body.days.reduce((s: number, d: { checkIns: number }) => s + d.checkIns, 0)).toBe(1);
  });

  it("a visit whose venue write failed is completed by the retry; once the venue holds it, a repeat makes no call there", async () => {
    const { venue, visitor, checkIn } = await aVisitorAtAVenue();
    // The venue's object fails its next write (restarting, overloaded) after the person's has the visit.
    // RPC calls the class's methods, so the failure goes on its prototype, once.
    await runInDurableObject(env.VENUE.getByName(venue.venueId), (instance: VenueObject) => {
      const proto = Object.getPrototypeOf(instance) as VenueObject;
      const record = proto.record;
      proto.record = async () => {
        proto.record = record;
        throw new Error("venue object unavailable");
      };
    });
    const failed = await checkIn();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await personVisits(visitor.personId)).toHaveLength(1);
    expect(await venueRows(venue.venueId)).toEqual([]);
    // The app retries: the same visit (a repeat inside two minutes), now held by the venue too.
    const retry = await checkIn();
    expect(retry.status).toBe(200);
    expect((await venueRows(venue.venueId)).map((r) => r.check_in_id)).toEqual([retry.body.checkInId]);
    // From then on the person's object knows the venue holds it: a repeat is one call, to the person
    // (the copy removed behind its back stays removed).
    await dropVenueCopies(venue.venueId);
    expect((await checkIn()).status).toBe(200);
    expect(await venueRows(venue.venueId)).toEqual([]);
  });

  it("a new visit's first repeat makes no call to the venue: the person's object remembers it kept", async () => {
    const { venue, checkIn } = await aVisitorAtAVenue();
    const first = await checkIn();
    expect(first.status).toBe(201);
    expect((await venueRows(venue.venueId)).map((r) => r.check_in_id)).toEqual([first.body.checkInId]);
    await dropVenueCopies(venue.venueId);
    expect((await checkIn()).status).toBe(200);
    expect(await venueRows(venue.venueId)).toEqual([]);
  });

  it("after the person's object is evicted, a repeat writes the venue's copy again (the memory of it is not kept)", async () => {
    const { venue, visitor, checkIn } = await aVisitorAtAVenue();
    expect((await checkIn()).status).toBe(201);
    await dropVenueCopies(venue.venueId);
    const [row] = await personVisits(visitor.personId);
    // A new instance over the same storage: what the runtime builds after evicting the object.
    const out = await runInDurableObject(env.PERSON.getByName(visitor.personId), (_, state) =>
      new PersonObject(state, env).recordCheckIn(
        row!,
        { dedupeSince: new Date(Date.now() - 120_000).toISOString(), replaySince: null },
        28,
      ),
    );
    expect(out).toMatchObject({ created: false, replayed: false });
    expect((await venueRows(venue.venueId)).map((r) => r.check_in_id)).toEqual([row!.checkInId]);
  });

  it("a visit kept at the venue is marked in the next new visit's write, so its repeat after an eviction makes no venue call", async () => {
    const owner = await aPerson("owner");
    const [first, second] = [await aVerifiedVenue(owner.token), await aVerifiedVenue(owner.token)];
    const visitor = await aPerson("visitor");
    const at = (placeCode: string) =>
      call("POST", "/v1/checkins", {
        token: visitor.token,
        body: { placeCode, personId: visitor.personId, location: CHENGDU },
      });
    expect((await at(first!.placeCode)).status).toBe(201);
    expect((await at(second!.placeCode)).status).toBe(201);
    await dropVenueCopies(first!.venueId);
    await dropVenueCopies(second!.venueId);
    const visits = await personVisits(visitor.personId);
    const repeatAfterEviction = (venueId: string) =>
      runInDurableObject(env.PERSON.getByName(visitor.personId), (_, state) =>
        new PersonObject(state, env).recordCheckIn(
          { ...visits.find((v) => v.venueId === venueId)!, checkInId: `ci_rescan_${venueId}` },
          { dedupeSince: new Date(Date.now() - 120_000).toISOString(), replaySince: null, keyed: false },
          28,
        ),
      );
    // The first visit was marked by the second's transaction: a new instance knows the venue has it.
    expect(await repeatAfterEviction(first!.venueId)).toMatchObject({ created: false });
    expect(await venueRows(first!.venueId)).toEqual([]);
    // The last visit's mark waits for a next write: its repeat writes the venue's copy again.
    expect(await repeatAfterEviction(second!.venueId)).toMatchObject({ created: false });
    expect(await venueRows(second!.venueId)).toHaveLength(1);
  });

  it("closing a venue takes effect at once in the isolate that closed it (others within a minute)", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const body = { placeCode: venue.placeCode, personId: visitor.personId, location: CHENGDU };
    expect((await call("POST", "/v1/checkins", { token: visitor.token, body })).status).toBe(201);
    expect((await call("DELETE", `/v1/venues/${venue.venueId}`, { token: owner.token })).status).toBe(204);
    const again = await call("POST", "/v1/checkins", { token: visitor.token, body });
    expect(again.status).toBe(409);
  });

  it("a crowd at one venue at once: every visit kept once in the venue's object and counted once", async () => {
    const venueId = `ven_station_${randomPersonId()}`;
    const persons = Array.from({ length: 60 }, () => randomPersonId());
    const visit = (personId: string) =>
      saveCheckIn(env, {
        venueId,
        venueName: "成都东站",
        personId,
        kind: "printed",
        presence: "location",
        color: "green",
      });
    const saved = await Promise.all(persons.map(visit));
    expect(saved.every((s) => s.created)).toBe(true);
    const rows = await venueRows(venueId);
    expect(rows.map((r) => r.person_id).sort()).toEqual([...persons].sort());
    expect(new Set(rows.map((r) => r.check_in_id))).toEqual(new Set(saved.map((s) => s.row?.checkInId)));
    const days = await env.VENUE.getByName(venueId).daily("2000-01-01");
    expect(days.reduce((n, d) => n + d.n, 0)).toBe(persons.length);
    // The same crowd again inside two minutes: the same visits, nothing counted twice.
    const again = await Promise.all(persons.map(visit));
    expect(again.every((s) => !s.created)).toBe(true);
    expect((await env.VENUE.getByName(venueId).daily("2000-01-01")).reduce((n, d) => n + d.n, 0)).toBe(
      persons.length,
    );
  });
});
