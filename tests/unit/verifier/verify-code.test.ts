import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type Bundle, verifyCode } from "../../../verifier";
import {
  decodePart,
  makeBundle,
  makeIssuer,
  NOW,
  nowSeconds,
  signCode,
  type TestIssuer,
  withPart,
} from "./fixtures";

let ours: TestIssuer;
let chongqing: TestIssuer;
let stranger: TestIssuer;
let bundle: Bundle;

beforeAll(async () => {
  ours = await makeIssuer("https://healthpass.test", "Sichuan Health Code");
  chongqing = await makeIssuer("https://hc.cq.example", "Chongqing Health Code", "500000");
  stranger = await makeIssuer("https://hc.elsewhere.example", "Untrusted");
  bundle = makeBundle([ours, chongqing]);
});

describe("valid codes", () => {
  it("accepts a live code and says who issued it", async () => {
    const result = await verifyCode(await signCode(ours, { color: "yellow" }), bundle, NOW);
    expect(result).toEqual({
      valid: true,
      kind: "live",
      issuer: "https://healthpass.test",
      issuerName: "Sichuan Health Code",
      color: "yellow",
      issuedAt: new Date((nowSeconds - 60) * 1000).toISOString(),
      expiresAt: new Date((nowSeconds + 300) * 1000).toISOString(),
      sub: "p_7f3a",
    });
  });

  it("shows a paper code as paper, with its long validity", async () => {
    const exp = nowSeconds + 7 * 86400;
    const result = await verifyCode(await signCode(ours, { kind: "paper", exp }), bundle, NOW);
    expect(result).toMatchObject({
      valid: true,
      kind: "paper",
      expiresAt: new Date(exp * 1000).toISOString(),
    });
  });

  it("accepts another region's code signed with its own key", async () => {
    const result = await verifyCode(await signCode(chongqing, { color: "red" }), bundle, NOW);
    expect(result).toMatchObject({ valid: true, issuer: "https://hc.cq.example", color: "red" });
  });

  it("tolerates a scanner clock up to 60 s off", async () => {
    const justExpired = await signCode(ours, { exp: nowSeconds - 30 });
    const justIssued = await signCode(ours, { iat: nowSeconds + 30 });
    expect((await verifyCode(justExpired, bundle, NOW)).valid).toBe(true);
    expect((await verifyCode(justIssued, bundle, NOW)).valid).toBe(true);
  });
});

describe("refusals", () => {
  it("expired", async () => {
    const token = await signCode(ours, { iat: nowSeconds - 600, exp: nowSeconds - 120 });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "expired" });
  });

  it("not yet valid", async () => {
    const token = await signCode(ours, { iat: nowSeconds + 300, exp: nowSeconds + 900 });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "not_yet_valid" });
  });

  it("tampered payload (red turned green)", async () => {
    const token = await signCode(ours, { color: "red" });
    const forged = withPart(token, 1, { ...decodePart(token, 1), color: "green" });
    expect(await verifyCode(forged, bundle, NOW)).toEqual({ valid: false, reason: "bad_signature" });
  });

  it("tampered header", async () => {
    const token = await signCode(ours);
    const forged = withPart(token, 0, { ...decodePart(token, 0), cty: "JWT" });
    expect(await verifyCode(forged, bundle, NOW)).toEqual({ valid: false, reason: "bad_signature" });
  });

  it("a kid the issuer never published", async () => {
    const token = await signCode(ours, {}, { kid: "not-a-published-kid" });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "unknown_key" });
  });

  it("another trusted issuer's key cannot sign for us", async () => {
    const token = await signCode(chongqing, { iss: "https://healthpass.test" });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "unknown_key" });
  });

  it("an issuer not in the bundle", async () => {
    const token = await signCode(stranger);
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "unknown_issuer" });
  });

  it("a wrong typ (e.g. our verifier bundle presented as a code)", async () => {
    const token = await signCode(ours, {}, { typ: "verifier-bundle+jwt" });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "malformed" });
  });

  it("a colour outside the vocabulary", async () => {
    const token = await signCode(ours, { color: "blue" });
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "malformed" });
  });

  it("HS256 signed with the issuer's public key as the secret", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(ours.publicJwk));
    const token = await new SignJWT({ iss: ours.entry.issuer, sub: "p_x", color: "green", ver: 1 })
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 300)
      .setProtectedHeader({ alg: "HS256", kid: ours.kid, typ: "hc+jwt" })
      .sign(secret);
    expect(await verifyCode(token, bundle, NOW)).toEqual({ valid: false, reason: "unsupported_alg" });
  });

  it('alg "none"', async () => {
    const signed = await signCode(ours);
    const [, payload] = signed.split(".");
    const header = withPart(signed, 0, { alg: "none", kid: ours.kid, typ: "hc+jwt" }).split(".")[0];
    expect(await verifyCode(`${header}.${payload}.`, bundle, NOW)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });

  it("ES256 when the issuer entry only allows another algorithm", async () => {
    const narrowed = makeBundle([{ ...ours, entry: { ...ours.entry, algorithms: ["EdDSA"] } }]);
    expect(await verifyCode(await signCode(ours), narrowed, NOW)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });
});

describe("revocation", () => {
  it("refuses a code whose rid is listed under its kid", async () => {
    const token = await signCode(ours, { kind: "paper", rid: "r_lost_printout" });
    const revoked = makeBundle([ours, chongqing], {
      revocations: { [ours.kid]: ["r_other", "r_lost_printout"] },
    });
    expect(await verifyCode(token, revoked, NOW)).toEqual({ valid: false, reason: "revoked" });
  });

  it("ignores the same rid listed under a different key", async () => {
    const token = await signCode(ours, { rid: "r_lost_printout" });
    const elsewhere = makeBundle([ours, chongqing], {
      revocations: { [chongqing.kid]: ["r_lost_printout"] },
    });
    expect((await verifyCode(token, elsewhere, NOW)).valid).toBe(true);
  });

  it("a rid.timestamp entry revokes codes issued before it, not those issued after", async () => {
    const revokedAt = nowSeconds - 30;
    const before = await signCode(ours, { rid: "r_person", iat: revokedAt - 1 });
    const after = await signCode(ours, { rid: "r_person", iat: revokedAt + 1 });
    const list = makeBundle([ours], { revocations: { [ours.kid]: [`r_person.${revokedAt}`] } });
    expect(await verifyCode(before, list, NOW)).toEqual({ valid: false, reason: "revoked" });
    expect((await verifyCode(after, list, NOW)).valid).toBe(true);
  });

  it("a kid named like an Object.prototype member does not confuse the lookup", async () => {
    const token = await signCode(ours, { rid: "r1" }, { kid: "constructor" });
    const weird = makeBundle([
      { ...ours, entry: { ...ours.entry, jwks: { keys: [{ ...ours.publicJwk, kid: "constructor" }] } } },
    ]);
    expect((await verifyCode(token, weird, NOW)).valid).toBe(true);
  });
});

describe("the bundle itself", () => {
  it("an expired bundle verifies nothing, not even a good code", async () => {
    const stale = makeBundle([ours], { iat: nowSeconds - 2 * 86400, exp: nowSeconds - 86400 });
    expect(await verifyCode(await signCode(ours), stale, NOW)).toEqual({
      valid: false,
      reason: "bundle_expired",
    });
  });

  it("a broken bundle object gives a reason instead of throwing", async () => {
    const token = await signCode(ours);
    for (const broken of [null, {}, { ...bundle, issuers: "x" }, { ...bundle, revocations: { k: "r" } }]) {
      expect(await verifyCode(token, broken as unknown as Bundle, NOW)).toEqual({
        valid: false,
        reason: "malformed",
      });
    }
  });
});
