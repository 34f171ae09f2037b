import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function newPerson(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: body.personId as string };
}

describe("code → verify", () => {
  it("issues a code that any JOSE library verifies against the published JWKS", async () => {
    const { token, personId } = await newPerson("round-trip");
    const code = await call("GET", `/v1/persons/${personId}/code`, { token });
    expect(code.status).toBe(200);
    expect(code.headers.get("cache-control")).toBe("no-store");
    expect(Date.parse(code.body.expiresAt) - Date.parse(code.body.issuedAt)).toBe(300_000);

    const jwks = await call("GET", "/.well-known/jwks.json");
    expect(jwks.headers.get("access-control-allow-origin")).toBe("*");
    expect(jwks.body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.body.keys[0]?.d).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(code.body.token, createLocalJWKSet(jwks.body), {
      algorithms: ["ES256"],
      issuer: "https://healthpass.test",
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "hc+jwt", kid: jwks.body.keys[0]?.kid });
    expect(payload).toMatchObject({ sub: personId, color: "green", ver: 1 });
    // rid: a keyed hash for revocation lists (workers/revocation/rid.ts), not the person id.
    expect(Object.keys(payload).sort()).toEqual(["color", "exp", "iat", "iss", "rid", "sub", "ver"]);
    expect(payload.rid).toMatch(/^[A-Za-z0-9_-]{11}$/);

    const verdict = await call("POST", "/v1/verify", { body: { token: code.body.token } });
    expect(verdict.body).toMatchObject({
      valid: true,
      color: "green",
      tokenColor: "green",
      current: true,
      issuer: "https://healthpass.test",
      kind: "live",
    });
  });

  it("says current: false once the colour changed after the code was issued", async () => {
    const { token, personId } = await newPerson("changes-colour");
    const code = await call("GET", `/v1/persons/${personId}/code`, { token });
    await env.PERSON.getByName(personId).addFacts([
      {
        kind: "authority_event",
        id: "event:test-close-contact",
        event: "close_contact",
        occurredAt: new Date().toISOString(),
        reason: "Shared a train carriage with a confirmed case",
        actor: "test",
      },
    ]);
    const verdict = await call("POST", "/v1/verify", { body: { token: code.body.token } });
    expect(verdict.body).toMatchObject({ valid: true, tokenColor: "green", color: "red", current: false });
    const fresh = await call("GET", `/v1/persons/${personId}/code`, { token });
    expect(fresh.body).toMatchObject({ color: "red", version: 2 });
    expect((await call("POST", "/v1/verify", { body: { token: fresh.body.token } })).body).toMatchObject({
      current: true,
      color: "red",
    });
  });
});
