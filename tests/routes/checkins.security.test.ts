import { describe, expect, it } from "vitest";
import { call, expectStatus } from "../helpers/api";
import { aPerson, aVenue, b64json, CHENGDU, personVisits, signPlace } from "./venues.fixtures";

async function setting() {
  const owner = await aPerson("owner");
  const venue = await aVenue(owner.token);
  const visitor = await aPerson("visitor");
  const checkIn = (placeCode: string, extra: Record<string, unknown> = {}) =>
    call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode, personId: visitor.personId, ...extra },
    });
  const count = async () => (await personVisits(visitor.personId)).length;
  return { owner, venue, visitor, checkIn, count };
}

describe("place codes cannot be forged, altered, or replayed after they expire", () => {
  it("a code signed with a key that is not ours (even under our kid) is refused as placeCode", async () => {
    const { venue, checkIn, count } = await setting();
    const stranger = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    for (const kid of [undefined, "made-up-kid"]) {
      const forged = await signPlace(
        { venueId: venue.venueId, kind: "printed", gen: 1 },
        { key: stranger.privateKey, ...(kid ? { kid } : {}) },
      );
      const res = await checkIn(forged);
      const problem = expectStatus(res, 400).body;
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(problem.errors?.[0]?.path).toBe("placeCode");
    }
    expect(await count()).toBe(0);
  });

  it("a genuine code with its venue swapped for another is refused", async () => {
    const { owner, venue, checkIn, count } = await setting();
    const target = await aVenue(owner.token, { name: "target" });
    // A poster printed before compact codes: a signed token.
    const oldPoster = await signPlace({ venueId: venue.venueId, kind: "printed", gen: 1 });
    const [h, , s] = oldPoster.split(".");
    const res = await checkIn(
      [h, b64json({ venueId: target.venueId, kind: "printed", gen: 1 }), s].join("."),
    );
    expect(expectStatus(res, 400).body.errors?.[0]?.path).toBe("placeCode");
    expect(await count()).toBe(0);
  });

  it("a health code, alg none, and garbage are not place codes", async () => {
    const { venue, visitor, checkIn } = await setting();
    const code = (await call("GET", `/v1/persons/${visitor.personId}/code`, { token: visitor.token })).body
      .token;
    const [, p] = (await signPlace({ venueId: venue.venueId, kind: "printed", gen: 1 })).split(".");
    for (const bad of [
      code,
      `${b64json({ alg: "none", typ: "place+jwt" })}.${p}.`,
      "garbage",
      "a.b.c",
      "x".repeat(2048),
    ]) {
      const res = await checkIn(bad);
      expect(res.status, bad.slice(0, 20)).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("placeCode");
    }
  });

  it("a forwarded rotating code past its TTL is refused as expired", async () => {
    const { venue, checkIn, count } = await setting();
    const now = Math.floor(Date.now() / 1000);
    // Signed with our real key, as the venue's screen would have shown it three minutes ago.
    const stale = await signPlace({
      venueId: venue.venueId,
      kind: "rotating",
      gen: 1,
      iat: now - 180,
      exp: now - 120,
    });
    const res = await checkIn(stale);
    const problem = expectStatus(res, 422).body;
    expect(problem.type).toBe("https://healthpass.dev/problems/place-code-expired");
    expect(problem.errors?.[0]?.path).toBe("placeCode");
    const fresh = await signPlace({
      venueId: venue.venueId,
      kind: "rotating",
      gen: 1,
      iat: now,
      exp: now + 60,
    });
    expect((await checkIn(fresh)).status).toBe(201);
    expect(await count()).toBe(1);
  });

  it("a rotating code without an expiry is refused (it would be a printed code in disguise)", async () => {
    const { venue, checkIn } = await setting();
    const res = await checkIn(await signPlace({ venueId: venue.venueId, kind: "rotating", gen: 1 }));
    expect(res.status).toBe(400);
  });

  it("renewing the printed code voids every old poster", async () => {
    const { owner, venue, checkIn } = await setting();
    await call("PATCH", `/v1/venues/${venue.venueId}`, {
      token: owner.token,
      body: { renewPlaceCode: true },
    });
    const res = await checkIn(venue.placeCode);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("https://healthpass.dev/problems/place-code-revoked");
    const poster = (await call("GET", `/v1/venues/${venue.venueId}/poster.svg`)).body as string;
    expect(poster).toContain("<svg");
  });

  it("a check-in from farther than 1 km is refused and nothing is recorded", async () => {
    const { venue, checkIn, count } = await setting();
    const far = await checkIn(venue.placeCode, { location: { lat: CHENGDU.lat + 0.05, lon: CHENGDU.lon } });
    const problem = expectStatus(far, 422).body;
    expect(problem.type).toBe("https://healthpass.dev/problems/too-far");
    expect(problem.errors?.[0]?.path).toBe("location");
    expect(await count()).toBe(0);
    const near = await checkIn(venue.placeCode, { location: { lat: CHENGDU.lat + 0.005, lon: CHENGDU.lon } });
    expect(near.status).toBe(201);
    expect(near.body.distanceM).toBe(556);
  });

  it("cannot check in a person the account does not manage", async () => {
    const { venue } = await setting();
    const stranger = await aPerson("stranger");
    const victim = await aPerson("victim");
    const res = await call("POST", "/v1/checkins", {
      token: stranger.token,
      body: { placeCode: venue.placeCode, personId: victim.personId },
    });
    expect(res.status).toBe(403);
  });

  it("bad input is a 400 naming the field, never a 5xx", async () => {
    const { visitor, venue } = await setting();
    const res = await call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode: venue.placeCode, personId: visitor.personId, location: { lat: 200, lon: 0 } },
    });
    expect(expectStatus(res, 400).body.errors?.[0]?.path).toBe("location.lat");
    expect((await call("POST", "/v1/checkins", { token: visitor.token, rawBody: "{" })).status).toBe(400);
  });

  it("an Idempotency-Key makes a retried request one check-in", async () => {
    const { venue, visitor, count } = await setting();
    const send = () =>
      call("POST", "/v1/checkins", {
        token: visitor.token,
        headers: { "idempotency-key": "abc-123" },
        body: { placeCode: venue.placeCode, personId: visitor.personId },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.checkInId).toBe(b.body.checkInId);
    expect(await count()).toBe(1);
  });
});
