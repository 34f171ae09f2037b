import { env } from "cloudflare:workers";
import { base64url, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import {
  type Bundle,
  decodeShcNumeric,
  joinShcChunks,
  parseCompact,
  type ShcCrl,
  type ShcIssuer,
  shcJwsFromFile,
  verifyCode,
  verifySmartHealthCard,
} from "../../verifier";
import { inflateRaw } from "../../verifier/inflate";

// Official examples from the SMART Health Cards spec (tests/vectors/smart-health-cards/README.md).
const file = (name: string) => {
  const text = env.TESTDATA[`smart-health-cards/${name}`];
  if (text === undefined) throw new Error(`missing test vector smart-health-cards/${name}`);
  return text;
};
const EXAMPLES = ["00", "01", "02", "03"] as const;
const jws = (n: string) => file(`example-${n}-d-jws.txt`).trim();
const ISSUER = "https://spec.smarthealth.cards/examples/issuer";
const KID_3K = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
const jwks = JSON.parse(file("issuer-jwks.json")) as { keys: JWK[] };
const crl = JSON.parse(file(`issuer-crl-${KID_3K}.json`)) as ShcCrl;
// Between the examples' nbf (2023-06-22) and example 03's exp (2024-06-21); the x5c leaf of example 01's
// key expired in 2022, which does not matter because the key is trusted from the JWKS, not the chain.
const NOW = new Date("2024-01-01T00:00:00Z");

const trusted: ShcIssuer = { issuer: ISSUER, jwks };
const withCrl: ShcIssuer = { ...trusted, crls: [crl] };

describe("SMART Health Cards official examples", () => {
  it.each(EXAMPLES)("example %s verifies and inflates byte-for-byte to the published payload", async (n) => {
    const minified = file(`example-${n}-c-jws-payload-minified.json`);
    const result = await verifySmartHealthCard(jws(n), [trusted], NOW);
    expect(result).toMatchObject({ valid: true, kind: "smart-health-card", issuer: ISSUER });
    if (!result.valid) return;
    expect(result.payload).toEqual(JSON.parse(minified));
    const inflated = await inflateRaw(parseCompact(jws(n))!.payload);
    expect(new TextDecoder().decode(inflated!)).toBe(minified);
  });

  it.each(EXAMPLES)("example %s: the file form holds the same JWS", (n) => {
    expect(shcJwsFromFile(file(`example-${n}-e-file.smart-health-card`))).toEqual([jws(n)]);
  });

  it.each(["00", "01", "03"])("example %s: the numeric QR decodes to the JWS", (n) => {
    expect(decodeShcNumeric(file(`example-${n}-f-qr-code-numeric-value-0.txt`))).toBe(jws(n));
  });

  it("example 02: three chunk QRs, scanned in any order, join and verify", async () => {
    const chunks = [0, 1, 2].map((i) => file(`example-02-f-qr-code-numeric-value-${i}.txt`));
    expect(joinShcChunks(chunks)).toBe(jws("02"));
    expect(joinShcChunks([chunks[2]!, chunks[0]!, chunks[1]!])).toBe(jws("02"));
    expect(joinShcChunks(chunks.slice(0, 2))).toBeNull();
    expect(decodeShcNumeric(chunks[0]!)).toBeNull();
    expect(await verifySmartHealthCard(chunks, [trusted], NOW)).toMatchObject({ valid: true });
  });

  it("every presentation of example 00 verifies: JWS, QR string, file", async () => {
    for (const input of [
      jws("00"),
      file("example-00-f-qr-code-numeric-value-0.txt"),
      file("example-00-e-file.smart-health-card"),
    ]) {
      expect(await verifySmartHealthCard(input, [withCrl], NOW)).toMatchObject({ valid: true });
    }
  });

  it("lists example 00's three doses", async () => {
    const result = await verifySmartHealthCard(jws("00"), [trusted], NOW);
    if (!result.valid) throw new Error(result.reason);
    const cvx = "http://hl7.org/fhir/sid/cvx";
    expect(result.vaccinations.map((v) => [v.product, v.date, v.performer])).toEqual([
      [{ system: cvx, code: "207" }, "2021-01-01", "ABC General Hospital"],
      [{ system: cvx, code: "207" }, "2021-01-29", "ABC General Hospital"],
      [{ system: cvx, code: "229" }, "2022-09-05", "ABC General Hospital"],
    ]);
    expect(result.vaccinations.every((v) => typeof v.lotNumber === "string")).toBe(true);
    expect(result.issuedAt).toBe("2023-06-22T16:19:24.656Z");
  });

  it("example 03 is revoked by the issuer's CRL (rid.timestamp after its nbf); 00 is not", async () => {
    expect(await verifySmartHealthCard(jws("03"), [withCrl], NOW)).toEqual({
      valid: false,
      reason: "revoked",
    });
    expect(
      await verifySmartHealthCard(file("example-03-f-qr-code-numeric-value-0.txt"), [withCrl], NOW),
    ).toEqual({
      valid: false,
      reason: "revoked",
    });
    expect(await verifySmartHealthCard(jws("00"), [withCrl], NOW)).toMatchObject({ valid: true });
    // A revocation timestamp before the card's nbf leaves a re-issued card valid.
    const earlier = { ...crl, rids: ["vwAjHdarZuc.1687450764"] };
    expect(await verifySmartHealthCard(jws("03"), [{ ...trusted, crls: [earlier] }], NOW)).toMatchObject({
      valid: true,
    });
    // A CRL for another key does not apply.
    expect(
      await verifySmartHealthCard(jws("03"), [{ ...trusted, crls: [{ ...crl, kid: "other" }] }], NOW),
    ).toMatchObject({
      valid: true,
    });
  });

  it("flipping one character anywhere in the JWS is refused", async () => {
    const token = jws("00");
    const [h, p, s] = token.split(".") as [string, string, string];
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const variants = [
      `${h}.${p}.${flip(s, 10)}`,
      `${h}.${flip(p, 40)}.${s}`,
      `${h}.${flip(p, Math.floor(p.length / 2))}.${s}`,
      `${flip(h, 5)}.${p}.${s}`,
    ];
    for (const variant of variants) {
      const result = await verifySmartHealthCard(variant, [trusted], NOW);
      expect(result.valid).toBe(false);
      if (!result.valid) expect(["bad_signature", "malformed"]).toContain(result.reason);
    }
  });

  it("an unknown kid is refused", async () => {
    const token = jws("00");
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[0]!)));
    const renamed = [
      base64url.encode(JSON.stringify({ ...header, kid: "unknown-kid" })),
      ...token.split(".").slice(1),
    ];
    expect(await verifySmartHealthCard(renamed.join("."), [trusted], NOW)).toEqual({
      valid: false,
      reason: "unknown_key",
    });
    const without3K = { issuer: ISSUER, jwks: { keys: jwks.keys.filter((k) => k.kid !== KID_3K) } };
    expect(await verifySmartHealthCard(token, [without3K], NOW)).toEqual({
      valid: false,
      reason: "unknown_key",
    });
  });

  it("the right key under the wrong kid is refused", async () => {
    const swapped = { issuer: ISSUER, jwks: { keys: [{ ...jwks.keys[1]!, kid: KID_3K }] } };
    expect(await verifySmartHealthCard(jws("00"), [swapped], NOW)).toEqual({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("example 03 is expired after its exp (2024-06-21)", async () => {
    expect(await verifySmartHealthCard(jws("03"), [trusted], new Date("2024-06-22T00:00:00Z"))).toEqual({
      valid: false,
      reason: "expired",
    });
  });

  it("an issuer not trusted, and a card scanned before its nbf, are refused", async () => {
    expect(await verifySmartHealthCard(jws("00"), [], NOW)).toEqual({
      valid: false,
      reason: "unknown_issuer",
    });
    expect(await verifySmartHealthCard(jws("00"), [trusted], new Date("2023-01-01T00:00:00Z"))).toEqual({
      valid: false,
      reason: "not_yet_valid",
    });
  });
});

describe("SMART Health Cards through the offline bundle", () => {
  const bundle: Bundle = {
    iss: "https://healthpass.test",
    iat: NOW.getTime() / 1000 - 3600,
    exp: NOW.getTime() / 1000 + 3600,
    issuers: [
      {
        issuer: ISSUER,
        name: "SMART Health Cards example issuer",
        regionCode: "US",
        format: "smart-health-card",
        algorithms: ["ES256"],
        jwks,
        crls: [crl],
      },
    ],
    revocations: {},
    colors: {
      green: { zh: "绿码", en: "Green", entry: "pass" },
      yellow: { zh: "黄码", en: "Yellow", entry: "restricted" },
      red: { zh: "红码", en: "Red", entry: "deny" },
    },
  };

  it("verifyCode recognises a card in every presentation", async () => {
    for (const input of [
      jws("01"),
      file("example-00-f-qr-code-numeric-value-0.txt"),
      file("example-00-e-file.smart-health-card"),
    ]) {
      const result = await verifyCode(input, bundle, NOW);
      expect(result).toMatchObject({
        valid: true,
        kind: "smart-health-card",
        issuer: ISSUER,
        issuerName: "SMART Health Cards example issuer",
        color: null,
        sub: null,
      });
    }
  });

  it("verifyCode refuses the revoked example 03", async () => {
    expect(await verifyCode(jws("03"), bundle, NOW)).toEqual({ valid: false, reason: "revoked" });
  });

  it("a card from an issuer trusted only as hc+jwt is not accepted", async () => {
    const wrongFormat = { ...bundle, issuers: [{ ...bundle.issuers[0]!, format: "hc+jwt" as const }] };
    expect(await verifyCode(jws("00"), wrongFormat, NOW)).toEqual({ valid: false, reason: "unknown_issuer" });
  });
});
