import { describe, expect, it } from "vitest";
import { keyStates } from "../../../workers/codes/rotation";
import { REFRESH_COOLDOWN_MS, REFRESH_EVERY_MS, refreshDue } from "../../../workers/issuers/refresh-policy";
import { issuerInputProblems } from "../../../workers/issuers/validate";
import { buildCrl, isRevoked, revokeBefore } from "../../../workers/revocation/crl";
import { paperRid, personRid } from "../../../workers/revocation/rid";

const DAY = 86_400_000;
const LIFE = 7 * DAY;

describe("key timeline", () => {
  const keys = [
    { kid: "a", activeFrom: 0 },
    { kid: "b", activeFrom: 10 * DAY },
  ];
  it("pending before activation, then a switch exactly at activeFrom", () => {
    expect(keyStates(keys, 5 * DAY, LIFE).map((s) => s.status)).toEqual(["active", "pending"]);
    expect(keyStates(keys, 10 * DAY, LIFE).map((s) => s.status)).toEqual(["previous", "active"]);
  });
  it("the old key stays published for the longest code lifetime after it stopped signing", () => {
    const [a] = keyStates(keys, 10 * DAY, LIFE);
    expect(a).toMatchObject({ stoppedAt: 10 * DAY, retiresAfter: 17 * DAY });
    expect(keyStates(keys, 17 * DAY - 1, LIFE)[0]!.status).toBe("previous");
    expect(keyStates(keys, 17 * DAY, LIFE)[0]!.status).toBe("retired");
  });
  it("the active key never retires, even if marked; a recorded retirement of a previous key counts", () => {
    expect(keyStates([{ kid: "a", activeFrom: 0, retiredAt: 1 }], DAY, LIFE)[0]!.status).toBe("active");
    expect(keyStates([{ ...keys[0]!, retiredAt: 11 * DAY }, keys[1]!], 11 * DAY, LIFE)[0]!.status).toBe(
      "retired",
    );
  });
  it("ties are broken by kid, so every isolate picks the same signer", () => {
    const tie = [
      { kid: "y", activeFrom: DAY },
      { kid: "x", activeFrom: DAY },
    ];
    expect(keyStates(tie, 2 * DAY, LIFE).find((s) => s.status === "active")!.kid).toBe("y");
  });
});

describe("JWKS refresh policy", () => {
  const now = 1_000_000_000;
  it("fetches when never fetched, on an unknown kid, or after 10 minutes, never within the cool-down", () => {
    expect(refreshDue({ keysFetchedAt: null, lastRefreshAt: null }, now, { unknownKid: false })).toBe(true);
    const fresh = {
      keysFetchedAt: now - 2 * REFRESH_COOLDOWN_MS,
      lastRefreshAt: now - 2 * REFRESH_COOLDOWN_MS,
    };
    expect(refreshDue(fresh, now, { unknownKid: false })).toBe(false);
    expect(refreshDue(fresh, now, { unknownKid: true })).toBe(true);
    expect(
      refreshDue({ keysFetchedAt: now - REFRESH_EVERY_MS, lastRefreshAt: now - REFRESH_EVERY_MS }, now, {
        unknownKid: false,
      }),
    ).toBe(true);
    const justFailed = { keysFetchedAt: now - REFRESH_EVERY_MS * 3, lastRefreshAt: now - 1_000 };
    expect(refreshDue(justFailed, now, { unknownKid: true })).toBe(false);
  });
});

describe("revocation lists", () => {
  const now = 2_000_000_000_000;
  const entries = [
    { id: 1, rid: "paperRid001", before: null, until: now + DAY },
    { id: 2, rid: "personRid01", before: 1_900_000_000, until: now + DAY },
    { id: 3, rid: "oldEntry001", before: null, until: now - 1 },
  ];
  it("publishes rid and rid.timestamp entries in force, with the highest id as counter", () => {
    expect(buildCrl("kid1", entries, 3, now)).toEqual({
      kid: "kid1",
      method: "rid",
      ctr: 3,
      rids: ["paperRid001", "personRid01.1900000000"],
    });
  });
  it("a bare rid revokes every code with it; rid.timestamp only those issued before", () => {
    expect(isRevoked(entries, "paperRid001", 1_999_999_999, now)).toBe(true);
    expect(isRevoked(entries, "personRid01", 1_899_999_999, now)).toBe(true);
    expect(isRevoked(entries, "personRid01", 1_900_000_000, now)).toBe(false);
    expect(isRevoked(entries, "oldEntry001", 1, now)).toBe(false);
  });
  it("'before now' covers codes issued earlier in the same second", () => {
    expect(revokeBefore(1_700_000_000_999)).toBe(1_700_000_001);
  });
});

describe("rid", () => {
  const key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  it("is an 11-character keyed hash, stable, distinct per person and per paper code, never the person id", async () => {
    const a = await personRid(key, "k3Jd8s0aQ2W1bX9cYz7LqA");
    expect(a).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(await personRid(key, "k3Jd8s0aQ2W1bX9cYz7LqA")).toBe(a);
    expect(await personRid(key, "k3Jd8s0aQ2W1bX9cYz7LqQ")).not.toBe(a);
    expect(await paperRid(key, "k3Jd8s0aQ2W1bX9cYz7LqA", "pc_1")).not.toBe(a);
    expect(await paperRid(key, "k3Jd8s0aQ2W1bX9cYz7LqA", "pc_2")).not.toBe(
      await paperRid(key, "k3Jd8s0aQ2W1bX9cYz7LqA", "pc_1"),
    );
    expect(await personRid("BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", "k3Jd8s0aQ2W1bX9cYz7LqA")).not.toBe(
      a,
    );
  });
});

describe("issuer input", () => {
  const base = { issuer: "https://other.test", algorithms: ["ES256"] };
  const opts = { devMode: false, ourIssuer: "https://healthpass.test" };
  it("allows http loopback only in development mode", () => {
    const local = { ...base, jwksUri: "http://127.0.0.1:8788/jwks.json" };
    expect(issuerInputProblems(local, opts).map((e) => e.path)).toEqual(["jwksUri"]);
    expect(issuerInputProblems(local, { ...opts, devMode: true })).toEqual([]);
    expect(issuerInputProblems({ ...base, jwksUri: "https://keys.other.test/jwks.json" }, opts)).toEqual([]);
  });
});
