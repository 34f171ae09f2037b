import { describe, expect, it, vi } from "vitest";
import { encodeQr } from "../../qr/encode";
import { qrPath } from "../../qr/path";
import { signCompactPlaceCode, verifyCompactPlaceCode } from "../../workers/venues/compact-place-code";
import { call, env } from "../helpers/api";
import { aPerson, aVenue, personVisits, signPlace } from "./venues.fixtures";

async function setting() {
  const owner = await aPerson("owner");
  const venue = await aVenue(owner.token);
  const visitor = await aPerson("visitor");
  const checkIn = (placeCode: string) =>
    call("POST", "/v1/checkins", {
      token: visitor.token,
      body: { placeCode, personId: visitor.personId },
    });
  const count = async () => (await personVisits(visitor.personId)).length;
  return { owner, venue, visitor, checkIn, count };
}

/** The QR version drawn on the poster: its white square is (size + 8) modules wide. */
function posterQrVersion(svg: string): number {
  const m = /<rect width="(\d+)" height="\1" fill="#fff"\/><path/.exec(svg);
  if (!m) throw new Error("no QR on the poster");
  return (Number(m[1]) - 8 - 17) / 4;
}

const swapChar = (s: string, i: number) => `${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;

describe("compact printed place codes", () => {
  it("the poster's QR URL is at most version 6 at level M (a signed token needed ≥ 10); the poster draws it small", async () => {
    const { venue } = await setting();
    expect(venue.checkInUrl).toBe(`https://healthpass.test/c/${venue.placeCode}`);
    expect(encodeQr(venue.checkInUrl, "M").version).toBeLessThanOrEqual(6);
    // A host as long as a real provincial one still fits.
    expect(
      encodeQr(`https://healthcode.sichuan.gov.cn/c/${venue.placeCode}`, "M").version,
    ).toBeLessThanOrEqual(6);
    const oldPoster = await signPlace({ venueId: venue.venueId, kind: "printed", gen: 1 });
    expect(encodeQr(`https://healthpass.test/c/${oldPoster}`, "M").version).toBeGreaterThanOrEqual(10);

    const poster = await call("GET", `/v1/venues/${venue.venueId}/poster.svg`);
    expect(poster.status).toBe(200);
    expect(poster.body).not.toContain("eyJ");
    expect(posterQrVersion(poster.body)).toBeLessThanOrEqual(6);
  });

  it("checks in from the compact code, and its /c/ page opens", async () => {
    const { venue, checkIn, count } = await setting();
    const res = await checkIn(venue.placeCode);
    expect(res.status).toBe(201);
    expect(res.body.venueName).toBe("锦江农贸市场");
    expect(await count()).toBe(1);
    const page = await call("GET", `/c/${venue.placeCode}`);
    expect(page.status).toBe(200);
  });

  it("forged codes are refused as placeCode: altered MAC, another venue, another generation, a made-up venue", async () => {
    const { owner, venue, checkIn, count } = await setting();
    const target = await aVenue(owner.token, { name: "target" });
    const [suffix, gen, mac] = venue.placeCode.split("~") as [string, string, string];
    const forgeries = [
      `${suffix}~${gen}~${swapChar(mac, 3)}`,
      `${suffix}~${gen}~${swapChar(mac, 15)}`,
      `${target.venueId.slice(4)}~${gen}~${mac}`,
      `${suffix}~2~${mac}`,
      `${swapChar(suffix, 0)}~${gen}~${mac}`,
      `${suffix}~${gen}~${mac.slice(0, 12)}`,
      `${suffix}~01~${mac}`,
      `${suffix}~${gen}~${mac}~x`,
    ];
    for (const forged of forgeries) {
      const res = await checkIn(forged);
      expect(res.status, forged).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("placeCode");
      expect((await call("GET", `/c/${forged}`)).status).toBe(400);
    }
    expect(await count()).toBe(0);
  });

  it("a code that verified is not MAC'd again in this isolate; a forgery of it still is, and is refused", async () => {
    const { venue } = await setting();
    const [suffix, gen, mac] = venue.placeCode.split("~") as [string, string, string];
    const sign = vi.spyOn(crypto.subtle, "sign");
    try {
      const fresh = `${suffix.slice(0, -1)}${suffix.endsWith("A") ? "B" : "A"}~${gen}~${mac}`;
      expect(await verifyCompactPlaceCode(env, fresh)).toEqual({ ok: false, reason: "bad_signature" });
      expect(sign).toHaveBeenCalledTimes(1);
      expect(await verifyCompactPlaceCode(env, fresh)).toEqual({ ok: false, reason: "bad_signature" });
      expect(sign).toHaveBeenCalledTimes(2);
      sign.mockClear();
      const ok = { ok: true, venueId: venue.venueId, gen: Number.parseInt(gen, 36) };
      expect(await verifyCompactPlaceCode(env, venue.placeCode)).toEqual(ok);
      const afterFirst = sign.mock.calls.length;
      expect(await verifyCompactPlaceCode(env, venue.placeCode)).toEqual(ok);
      expect(sign.mock.calls.length).toBe(afterFirst);
      const forged = `${suffix}~${gen}~${swapChar(mac, 7)}`;
      expect(await verifyCompactPlaceCode(env, forged)).toEqual({ ok: false, reason: "bad_signature" });
      expect(sign.mock.calls.length).toBe(afterFirst + 1);
    } finally {
      sign.mockRestore();
    }
  });

  it("stale codes are refused: renewed (older generation) and closed venues", async () => {
    const { owner, venue, checkIn } = await setting();
    // An old poster (signed token) keeps working until the venue renews its place code.
    const oldPoster = await signPlace({ venueId: venue.venueId, kind: "printed", gen: 1 });
    expect((await checkIn(oldPoster)).status).toBe(201);

    const renewed = await call("PATCH", `/v1/venues/${venue.venueId}`, {
      token: owner.token,
      body: { renewPlaceCode: true },
    });
    expect(renewed.status).toBe(200);
    for (const stale of [venue.placeCode, oldPoster]) {
      const res = await checkIn(stale);
      expect(res.status).toBe(422);
      expect(res.body.type).toBe("https://healthpass.dev/problems/place-code-revoked");
    }
    // The renewed poster draws generation 2's code, which checks in.
    const renewedCode = await signCompactPlaceCode(env, venue.venueId, 2);
    expect(renewedCode.startsWith(`${venue.venueId.slice(4)}~2~`)).toBe(true);
    const poster = await call("GET", `/v1/venues/${venue.venueId}/poster.svg`);
    expect(poster.body).toContain(qrPath(encodeQr(`https://healthpass.test/c/${renewedCode}`, "Q"), 4));
    // 200: a second check-in by the same visitor inside the dedupe window is the same visit.
    expect([200, 201]).toContain((await checkIn(renewedCode)).status);

    // A closed venue's codes check nobody in.
    expect((await call("DELETE", `/v1/venues/${venue.venueId}`, { token: owner.token })).status).toBe(204);
    expect((await checkIn(renewedCode)).status).toBe(409);
    expect((await call("GET", `/c/${renewedCode}`)).status).toBe(400);
  });
});
