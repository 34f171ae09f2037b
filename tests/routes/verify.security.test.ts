import { base64url, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, env, first, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

const ISS = "https://healthpass.test";

async function ourKey() {
  const jwk = JSON.parse(env.SIGNING_KEYS)[0];
  const jwks = (await call("GET", "/.well-known/jwks.json")).body;
  return {
    privateKey: await importJWK({ ...jwk, alg: "ES256" }, "ES256"),
    kid: first(jwks.keys, "JWKS keys").kid,
    publicJwk: first(jwks.keys, "JWKS keys"),
  };
}

async function aCode() {
  const idNumber = freshResidentId();
  const token = await idToken(`verify-sec-${idNumber}`, { idType: "resident_id", idNumber });
  const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  const code = await call("GET", `/v1/persons/${body.personId}/code`, { token });
  return { personId: body.personId as string, token: code.body.token as string };
}

const verify = async (token: string) => (await call("POST", "/v1/verify", { body: { token } })).body;
const enc = (o: unknown) => base64url.encode(JSON.stringify(o));

describe("verification refuses bad codes with a reason, never a 5xx", () => {
  it("a tampered payload → bad_signature", async () => {
    const { token } = await aCode();
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    expect(await verify([h, enc({ ...payload, color: "green", ver: 99 }), s].join("."))).toEqual({
      valid: false,
      reason: "bad_signature",
    });
  });

  it("an expired code → expired", async () => {
    const { personId } = await aCode();
    const { privateKey, kid } = await ourKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ color: "green", ver: 1 })
      .setProtectedHeader({ alg: "ES256", kid, typ: "hc+jwt" })
      .setIssuer(ISS)
      .setSubject(personId)
      .setIssuedAt(now - 1000)
      .setExpirationTime(now - 400)
      .sign(privateKey);
    expect(await verify(token)).toEqual({ valid: false, reason: "expired" });
  });

  it("alg: none → unsupported_alg", async () => {
    const { token } = await aCode();
    const [, p] = token.split(".");
    expect(await verify(`${enc({ alg: "none", typ: "hc+jwt" })}.${p}.`)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });

  it("HS256 signed with our public key as the secret → unsupported_alg", async () => {
    const { token } = await aCode();
    const { publicJwk, kid } = await ourKey();
    const [, p] = token.split(".");
    const header = enc({ alg: "HS256", kid, typ: "hc+jwt" });
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const sig = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${p}`)),
    );
    expect(await verify(`${header}.${p}.${base64url.encode(sig)}`)).toEqual({
      valid: false,
      reason: "unsupported_alg",
    });
  });

  it("a key we never published → unknown_key; another issuer → unknown_issuer", async () => {
    const { personId } = await aCode();
    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const sign = (iss: string, kid: string) =>
      new SignJWT({ color: "green", ver: 1 })
        .setProtectedHeader({ alg: "ES256", kid, typ: "hc+jwt" })
        .setIssuer(iss)
        .setSubject(personId)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(other.privateKey);
    expect(await verify(await sign(ISS, "not-our-kid"))).toEqual({ valid: false, reason: "unknown_key" });
    const { kid } = await ourKey();
    expect(await verify(await sign(ISS, kid))).toEqual({ valid: false, reason: "bad_signature" });
    expect(await verify(await sign("https://evil.example", kid))).toEqual({
      valid: false,
      reason: "unknown_issuer",
    });
  });

  it.each(["", "garbage", "a.b.c", "a.b", "....", "x".repeat(16_000), "eyJhbGciOiJFUzI1NiJ9.e30.AAAA"])(
    "garbage %# → valid: false or a 400, never a 5xx",
    async (token) => {
      const res = await call("POST", "/v1/verify", { body: { token } });
      expect(res.status).toBeLessThan(500);
      if (res.status === 200) expect(res.body.valid).toBe(false);
      else expect(res.status).toBe(400);
    },
  );

  it("a missing or non-string token → 400 naming the field", async () => {
    for (const body of [{}, { token: 42 }]) {
      const res = await call("POST", "/v1/verify", { body });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("token");
    }
  });
});
