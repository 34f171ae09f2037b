import { base64url, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { authorityToken, call, env } from "../helpers/api";

// A second region's issuer, run inside the test: its own key pair, its JWKS served by the test
// through the ISSUER_FETCHER binding (tests/helpers/node/issuer-service.ts).
async function remoteIssuer(host: string) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const pub = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JWK;
  const kid = `${host}-key-1`;
  const issuer = `https://${host}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const jwks = { keys: [{ kty: "EC", crv: "P-256", x: pub.x, y: pub.y, kid, alg: "ES256", use: "sig" }] };
  const sign = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ color: "yellow", ver: 3, ...claims })
      .setProtectedHeader({ alg: "ES256", kid, typ: "hc+jwt" })
      .setIssuer(issuer)
      .setSubject("their-opaque-person-id")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(pair.privateKey);
  return { issuer, jwksUri, jwks, kid, sign };
}

async function serve(url: string, answer: { status?: number; body?: unknown; delayMs?: number }) {
  const res = await env.ISSUER_FETCHER!.fetch("http://issuer-service.test/set", {
    method: "POST",
    body: JSON.stringify({ url, ...answer }),
  });
  expect(res.status).toBe(204);
}

const verify = async (token: string) => (await call("POST", "/v1/verify", { body: { token } })).body;
const enc = encodeURIComponent;

describe("trust list: another region's codes", () => {
  it("trusted → verifies with issuer and issuerName; JWKS down → last good keys, keysStale; removed → unknown_issuer", async () => {
    const token = await authorityToken();
    const other = await remoteIssuer("chongqing.test");
    await serve(other.jwksUri, { body: other.jwks });
    const code = await other.sign();

    expect(await verify(code)).toEqual({ valid: false, reason: "unknown_issuer" });

    const created = await call("POST", "/v1/authority/issuers", {
      token,
      body: {
        issuer: other.issuer,
        name: "渝康码 Chongqing",
        regionCode: "CN-CQ",
        jwksUri: other.jwksUri,
        algorithms: ["ES256"],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "active",
      kids: [other.kid],
      keysStale: false,
      lastRefreshError: null,
    });

    expect(await verify(code)).toEqual({
      valid: true,
      kind: "live",
      color: "yellow",
      tokenColor: "yellow",
      current: true,
      stateChecked: false,
      issuer: other.issuer,
      issuerName: "渝康码 Chongqing",
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
    });

    // The issuer's JWKS endpoint fails: the refresh keeps the last good keys and says so.
    await serve(other.jwksUri, { status: 503, body: "down" });
    const refreshed = await call("POST", `/v1/authority/issuers/${enc(other.issuer)}/refresh`, { token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      kids: [other.kid],
      keysStale: true,
      lastRefreshError: "HTTP 503",
    });
    expect(await verify(code)).toMatchObject({ valid: true, issuer: other.issuer, keysStale: true });
    const listed = await call("GET", "/v1/authority/issuers", { token });
    expect(listed.body.issuers.find((i: { issuer: string }) => i.issuer === other.issuer)).toMatchObject({
      keysStale: true,
      lastRefreshError: "HTTP 503",
    });

    // A JWKS endpoint that hangs is given up after 3 s; the last good keys still verify.
    await serve(other.jwksUri, { body: other.jwks, delayMs: 5_000 });
    const started = Date.now();
    const slow = await call("POST", `/v1/authority/issuers/${enc(other.issuer)}/refresh`, { token });
    expect(Date.now() - started).toBeLessThan(4_900);
    expect(slow.body.lastRefreshError).toMatch(/timeout/);
    expect(await verify(code)).toMatchObject({ valid: true, keysStale: true });

    // Back up: the next refresh clears the flag.
    await serve(other.jwksUri, { body: other.jwks });
    const healed = await call("POST", `/v1/authority/issuers/${enc(other.issuer)}/refresh`, { token });
    expect(healed.body).toMatchObject({ keysStale: false, lastRefreshError: null });
    expect((await verify(code)).keysStale).toBeUndefined();

    const removed = await call("DELETE", `/v1/authority/issuers/${enc(other.issuer)}`, { token });
    expect(removed.status).toBe(204);
    expect(await verify(code)).toEqual({ valid: false, reason: "unknown_issuer" });
    expect((await call("DELETE", `/v1/authority/issuers/${enc(other.issuer)}`, { token })).status).toBe(404);
  }, 30_000);

  it("an inline JWKS issuer; suspended → unknown_issuer; a forged signature and a foreign key are refused", async () => {
    const token = await authorityToken();
    const other = await remoteIssuer("guizhou.test");
    const created = await call("POST", "/v1/authority/issuers", {
      token,
      body: {
        issuer: other.issuer,
        name: "Guizhou",
        regionCode: "CN-GZ",
        jwks: other.jwks,
        algorithms: ["ES256"],
      },
    });
    expect(created.status).toBe(201);
    const code = await other.sign({ color: "green", kind: "paper" });
    expect(await verify(code)).toMatchObject({
      valid: true,
      kind: "paper",
      color: "green",
      issuerName: "Guizhou",
    });

    const [h, p] = code.split(".");
    const forged = `${h}.${p}.${base64url.encode(new Uint8Array(64))}`;
    expect(await verify(forged)).toEqual({ valid: false, reason: "bad_signature" });
    const impostor = await remoteIssuer("guizhou.test");
    expect((await verify(await impostor.sign())).valid).toBe(false);

    const suspended = await call("PATCH", `/v1/authority/issuers/${enc(other.issuer)}`, {
      token,
      body: { status: "suspended" },
    });
    expect(suspended.body.status).toBe("suspended");
    expect(await verify(code)).toEqual({ valid: false, reason: "unknown_issuer" });
    await call("PATCH", `/v1/authority/issuers/${enc(other.issuer)}`, { token, body: { status: "active" } });
    expect((await verify(code)).valid).toBe(true);

    // Posting again replaces (idempotent), answering 200.
    const again = await call("POST", "/v1/authority/issuers", {
      token,
      body: {
        issuer: other.issuer,
        name: "Guizhou 贵州",
        regionCode: "CN-GZ",
        jwks: other.jwks,
        algorithms: ["ES256"],
      },
    });
    expect(again.status).toBe(200);
    expect((await verify(code)).issuerName).toBe("Guizhou 贵州");
  });

  it("publishes our issuer metadata for other regions", async () => {
    const res = await call("GET", "/.well-known/healthpass-issuer.json");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: "https://healthpass.test",
      jwks_uri: "https://healthpass.test/.well-known/jwks.json",
      crl_uri_template: "https://healthpass.test/.well-known/crl/{kid}.json",
      code_format: "hc+jwt",
      algorithms: ["ES256"],
    });
    expect(typeof res.body.region_code).toBe("string");
  });
});
