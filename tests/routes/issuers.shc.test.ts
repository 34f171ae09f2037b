import { describe, expect, it } from "vitest";
import { authorityToken, call, env } from "../helpers/api";

// The SMART Health Cards spec's example issuer, trusted as a smart-health-card issuer with its inline
// JWKS and CRL (tests/vectors/smart-health-cards). Verification runs at today's date: example 03
// expired in 2024 and is revoked; /v1/verify checks revocation before expiry, so it says `revoked`.
const file = (name: string) => {
  const text = env.TESTDATA[`smart-health-cards/${name}`];
  if (text === undefined) throw new Error(`missing test vector smart-health-cards/${name}`);
  return text;
};
const ISSUER = "https://spec.smarthealth.cards/examples/issuer";
const KID_3K = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
const jws = (n: string) => file(`example-${n}-d-jws.txt`).trim();
const verify = async (token: string) => (await call("POST", "/v1/verify", { body: { token } })).body;

describe("SMART Health Cards at /v1/verify", () => {
  it("verifies the spec's examples once their issuer is trusted; 03 is revoked; a tampered card is refused", async () => {
    expect(await verify(jws("00"))).toEqual({ valid: false, reason: "unknown_issuer" });

    const created = await call("POST", "/v1/authority/issuers", {
      token: await authorityToken(),
      body: {
        issuer: ISSUER,
        name: "SMART Health Cards example issuer",
        regionCode: "US",
        format: "smart-health-card",
        algorithms: ["ES256"],
        jwks: JSON.parse(file("issuer-jwks.json")),
        crls: [JSON.parse(file(`issuer-crl-${KID_3K}.json`))],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.crlCount).toBe(1);

    const card = await verify(jws("00"));
    expect(card).toMatchObject({
      valid: true,
      kind: "smart-health-card",
      issuer: ISSUER,
      issuerName: "SMART Health Cards example issuer",
      issuedAt: "2023-06-22T16:19:24.656Z",
    });
    expect(card.vaccinations).toHaveLength(3);
    expect(card.color).toBeUndefined();

    // The numeric QR form of the same card.
    expect(await verify(file("example-00-f-qr-code-numeric-value-0.txt"))).toMatchObject({
      valid: true,
      kind: "smart-health-card",
    });
    expect(await verify(jws("01"))).toMatchObject({ valid: true, kind: "smart-health-card" });

    expect(await verify(jws("03"))).toEqual({ valid: false, reason: "revoked" });
    expect(await verify(file("example-03-f-qr-code-numeric-value-0.txt"))).toEqual({
      valid: false,
      reason: "revoked",
    });

    const [h, p, s] = jws("00").split(".") as [string, string, string];
    const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
    const tampered = await verify(flipped);
    expect(tampered.valid).toBe(false);
    expect(["bad_signature", "malformed"]).toContain(tampered.reason);
  });
});
