import { env } from "cloudflare:workers";
import { compactVerify, importJWK, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { type Bundle, checkTimes, verifyCode, verifyJws } from "../../verifier";
import { parseJsonObject } from "../../verifier/compact";

// RFC 7515 Appendix A vectors (tests/vectors/jose/README.md).
interface Vector {
  id: string;
  jws_compact: string;
  jwk_public?: JWK;
  jwk?: JWK;
  payload_utf8?: string;
}
const vectors = (JSON.parse(env.TESTDATA["jose/rfc7515-rfc8037-vectors.json"]!) as { vectors: Vector[] })
  .vectors;
const vector = (id: string) => vectors.find((v) => v.id === id)!;
const es256 = vector("rfc7515-A.3-ES256");
const hs256 = vector("rfc7515-A.1-HS256");
const none = vector("rfc7515-A.5-unsecured");

// The vectors' exp is 2011-03-22T18:43:00Z.
const BEFORE_EXP = new Date("2011-03-22T18:00:00Z");

describe("RFC 7515 through the verifier's ES256 path", () => {
  it("A.3 (ES256) verifies, and its claims are current on a clock fixed before exp", async () => {
    const result = await verifyJws(es256.jws_compact, [es256.jwk_public!], { algorithms: ["ES256"] });
    expect("reason" in result).toBe(false);
    if ("reason" in result) return;
    expect(new TextDecoder().decode(result.payload)).toBe(es256.payload_utf8);
    const claims = parseJsonObject(result.payload)!;
    expect(checkTimes(claims, BEFORE_EXP)).toBeNull();
    expect(checkTimes(claims, new Date("2026-11-27T00:00:00Z"))).toBe("expired");
  });

  it("A.3 with one signature byte changed is a bad signature", async () => {
    const [h, p, s] = es256.jws_compact.split(".") as [string, string, string];
    const tampered = `${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
    expect(await verifyJws(tampered, [es256.jwk_public!], { algorithms: ["ES256"] })).toEqual({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("A.5 (alg none) is refused", async () => {
    expect(await verifyJws(none.jws_compact, [es256.jwk_public!], { algorithms: ["ES256"] })).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });

  it("A.1 (HS256) is refused even when handed its own key, although the vector itself is genuine", async () => {
    // Proves the refusal comes from pinning, not from a broken vector.
    await expect(
      compactVerify(hs256.jws_compact, await importJWK(hs256.jwk!, "HS256")),
    ).resolves.toBeTruthy();
    expect(await verifyJws(hs256.jws_compact, [hs256.jwk!], { algorithms: ["ES256"] })).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
    // Even a caller that lists HS256 cannot widen the library beyond what it implements.
    expect(await verifyJws(hs256.jws_compact, [hs256.jwk!], { algorithms: ["ES256", "HS256"] })).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });

  it("verifyCode refuses all three when issuer `joe` is trusted with the A.3 key", async () => {
    const bundle: Bundle = {
      iss: "https://healthpass.test",
      iat: BEFORE_EXP.getTime() / 1000 - 60,
      exp: BEFORE_EXP.getTime() / 1000 + 3600,
      issuers: [
        {
          issuer: "joe",
          name: "RFC 7515",
          regionCode: "000000",
          format: "hc+jwt",
          algorithms: ["ES256", "HS256"],
          jwks: { keys: [es256.jwk_public!, hs256.jwk!] },
        },
      ],
      revocations: {},
      colors: {
        green: { zh: "绿码", en: "Green", entry: "pass" },
        yellow: { zh: "黄码", en: "Yellow", entry: "restricted" },
        red: { zh: "红码", en: "Red", entry: "deny" },
      },
    };
    // A.3 is a genuine ES256 JWS but not a health code (no typ, kid, sub or colour).
    expect(await verifyCode(es256.jws_compact, bundle, BEFORE_EXP)).toEqual({
      valid: false,
      reason: "malformed",
    });
    expect(await verifyCode(none.jws_compact, bundle, BEFORE_EXP)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
    expect(await verifyCode(hs256.jws_compact, bundle, BEFORE_EXP)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });
});
