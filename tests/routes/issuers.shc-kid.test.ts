import { calculateJwkThumbprint, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { authorityToken, call, env } from "../helpers/api";

// SMART Health Cards: a trusted key's kid SHALL be its RFC 7638 thumbprint. Tested with the spec's
// example issuer keys (env.TESTDATA smart-health-cards/issuer-jwks.json) and keys with a wrong kid.
const file = (name: string) => {
  const text = env.TESTDATA[`smart-health-cards/${name}`];
  if (text === undefined) throw new Error(`missing test vector smart-health-cards/${name}`);
  return text;
};
const ISSUER = "https://spec.smarthealth.cards/examples/issuer";
const specKeys = () => (JSON.parse(file("issuer-jwks.json")) as { keys: Record<string, unknown>[] }).keys;

async function freshKey(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const pub = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JWK;
  return { kty: "EC", crv: "P-256", x: pub.x, y: pub.y, kid, alg: "ES256", use: "sig" };
}

const trust = async (body: Record<string, unknown>) =>
  call("POST", "/v1/authority/issuers", {
    token: await authorityToken(),
    body: { name: "SHC issuer", regionCode: "US", algorithms: ["ES256"], ...body },
  });

describe("SMART Health Cards issuers: a key's kid must be its RFC 7638 thumbprint", () => {
  it("the spec's example keys pass the check: each kid is its thumbprint", async () => {
    for (const k of specKeys()) {
      expect(await calculateJwkThumbprint({ kty: "EC", crv: "P-256", x: k.x, y: k.y } as JWK, "sha256")).toBe(
        k.kid,
      );
    }
  });

  it("an inline JWKS with a key under another key's kid, or any wrong kid, → 400 naming the key; nothing trusted", async () => {
    const [first, second] = specKeys() as [Record<string, unknown>, Record<string, unknown>];
    // The second example key published under the first key's kid.
    const aliased = await trust({
      issuer: "https://aliased.example/issuer",
      format: "smart-health-card",
      jwks: { keys: [first, { ...second, kid: first.kid }] },
    });
    expect(aliased.status).toBe(400);
    expect(aliased.headers.get("content-type")).toContain("application/problem+json");
    expect(aliased.body.errors).toEqual([
      { path: "jwks.keys.1.kid", message: expect.stringContaining(String(second.kid)) },
    ]);

    const named = await trust({
      issuer: "https://named.example/issuer",
      format: "smart-health-card",
      jwks: { keys: [await freshKey("key-2026-1")] },
    });
    expect(named.status).toBe(400);
    expect(named.body.errors?.map((e: { path: string }) => e.path)).toEqual(["jwks.keys.0.kid"]);

    const list = (await call("GET", "/v1/authority/issuers", { token: await authorityToken() })).body;
    expect(list.issuers.map((i: { issuer: string }) => i.issuer)).not.toContain(
      "https://aliased.example/issuer",
    );

    // Our own hc+jwt trust lists name keys freely; the rule is SMART Health Cards'.
    const hcJwt = await trust({
      issuer: "https://named.example/issuer",
      jwks: { keys: [await freshKey("key-2026-1")] },
    });
    expect(hcJwt.status).toBe(201);
  });

  it("a fetched JWKS: the wrongly named key is dropped and the refusal recorded; the spec's key still verifies its cards", async () => {
    const jwksUri = "https://spec.smarthealth.cards/examples/issuer/.well-known/jwks.json";
    const [first] = specKeys() as [Record<string, unknown>];
    const impostor = await freshKey(String(first.kid).replace(/^3K/, "4K"));
    const served = await env.ISSUER_FETCHER!.fetch("http://issuer-service.test/set", {
      method: "POST",
      body: JSON.stringify({ url: jwksUri, body: { keys: [first, impostor] } }),
    });
    expect(served.status).toBe(204);

    const created = await trust({ issuer: ISSUER, format: "smart-health-card", jwksUri });
    expect(created.status).toBe(201);
    expect(created.body.kids).toEqual([first.kid]);
    expect(created.body.lastRefreshError).toContain("keys.1.kid");
    expect(created.body.lastRefreshError).toContain(String(impostor.kid));

    const card = await call("POST", "/v1/verify", { body: { token: file("example-00-d-jws.txt").trim() } });
    expect(card.body).toMatchObject({ valid: true, kind: "smart-health-card", issuer: ISSUER });
  });
});
