import { beforeAll, describe, expect, it } from "vitest";
import { bundleProblems, isBundle, openBundle, verifyCode } from "../../../verifier";
import {
  makeBundle,
  makeIssuer,
  NOW,
  nowSeconds,
  signBundle,
  signCode,
  type TestIssuer,
  withPart,
} from "./fixtures";

let ours: TestIssuer;
let other: TestIssuer;
let anchor: { keys: TestIssuer["publicJwk"][] };

beforeAll(async () => {
  ours = await makeIssuer("https://healthpass.test", "Sichuan Health Code");
  other = await makeIssuer("https://hc.cq.example", "Chongqing Health Code");
  // The app pins our bundle-signing key; here the code-signing issuer doubles as bundle signer.
  anchor = { keys: [ours.publicJwk] };
});

describe("openBundle", () => {
  it("opens a bundle signed by the trust anchor, and its codes then verify offline", async () => {
    const bundle = makeBundle([ours, other]);
    const opened = await openBundle(await signBundle(ours, bundle), anchor, NOW, {
      issuer: "https://healthpass.test",
    });
    expect(opened).toEqual({ valid: true, bundle });
    if (!opened.valid) return;
    expect(await verifyCode(await signCode(other), opened.bundle, NOW)).toMatchObject({ valid: true });
  });

  it("refuses an expired bundle with bundle_expired", async () => {
    const stale = makeBundle([ours], { iat: nowSeconds - 90_000, exp: nowSeconds - 3600 });
    expect(await openBundle(await signBundle(ours, stale), anchor, NOW)).toEqual({
      valid: false,
      reason: "bundle_expired",
    });
  });

  it("refuses a bundle signed by anyone else", async () => {
    const jws = await signBundle(other, makeBundle([ours, other]));
    expect(await openBundle(jws, anchor, NOW)).toEqual({ valid: false, reason: "unknown_key" });
    const sameKid = { keys: [{ ...ours.publicJwk, kid: other.kid }] };
    expect(await openBundle(jws, sameKid, NOW)).toEqual({ valid: false, reason: "bad_signature" });
  });

  it("refuses a bundle with an issuer slipped in after signing", async () => {
    const jws = await signBundle(ours, makeBundle([ours]));
    const forged = withPart(jws, 1, makeBundle([ours, other]));
    expect(await openBundle(forged, anchor, NOW)).toEqual({ valid: false, reason: "bad_signature" });
  });

  it("refuses a health code presented as a bundle (typ)", async () => {
    const code = await signCode(ours);
    expect(await openBundle(code, anchor, NOW)).toEqual({ valid: false, reason: "malformed" });
  });

  it("refuses a bundle from an unexpected signer identity when the issuer is pinned", async () => {
    const jws = await signBundle(ours, makeBundle([ours], { iss: "https://evil.example" }));
    expect(await openBundle(jws, anchor, NOW, { issuer: "https://healthpass.test" })).toEqual({
      valid: false,
      reason: "unknown_issuer",
    });
  });

  it("refuses a correctly signed bundle of the wrong shape", async () => {
    const { colors: _colors, ...noColors } = makeBundle([ours]);
    expect(await openBundle(await signBundle(ours, noColors), anchor, NOW)).toEqual({
      valid: false,
      reason: "malformed",
    });
  });

  it("never throws on garbage", async () => {
    for (const input of ["", "a.b.c", "x".repeat(300_000), null]) {
      expect(await openBundle(input as string, anchor, NOW)).toEqual({ valid: false, reason: "malformed" });
    }
    expect(await openBundle(await signBundle(ours, makeBundle([ours])), null as never, NOW)).toEqual({
      valid: false,
      reason: "unknown_key",
    });
  });
});

describe("bundle shape check", () => {
  it("accepts the documented shape and names what is wrong otherwise", () => {
    const good = makeBundle([ours]);
    expect(isBundle(good)).toBe(true);
    const bad = {
      ...good,
      issuers: [{ ...good.issuers[0], format: "cose", jwks: { keys: "nope" } }],
      colors: { ...good.colors, red: { zh: "红码", en: "Red", entry: "pass" } },
    };
    expect(bundleProblems(bad)).toEqual([
      "issuers[0].format: unknown",
      "issuers[0].jwks: not a JWKS",
      'colors.red: needs zh, en and entry "deny"',
    ]);
  });
});
