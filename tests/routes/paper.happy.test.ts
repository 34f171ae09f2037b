import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { openBundle, verifyCode } from "../../verifier";
import { authorityToken, call, idToken, present } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function newPerson(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: body.personId as string };
}
const verify = async (token: string) => (await call("POST", "/v1/verify", { body: { token } })).body;

/** What a scanner app does: fetch the bundle, open it against our pinned JWKS, verify with no network. */
async function offline(token: string, now = new Date()) {
  const jwks = (await call("GET", "/.well-known/jwks.json")).body;
  const bundle = await call("GET", "/v1/verifier-bundle");
  expect(bundle.status).toBe(200);
  const opened = await openBundle(bundle.body.bundle, jwks, now, { issuer: "https://healthpass.test" });
  if (!opened.valid) throw new Error(`bundle refused: ${opened.reason}`);
  return verifyCode(token, opened.bundle, now);
}

describe("paper codes", () => {
  it("prints a 7-day paper code with its own rid, shown as paper online and offline", async () => {
    const { token, personId } = await newPerson("paper-happy");
    const res = await call("POST", `/v1/persons/${personId}/paper-code`, { token, body: {} });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "paper", color: "green", maskedName: "张*三" });
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.issuedAt)).toBe(7 * 86_400_000);
    const claims = decodeJwt(res.body.token);
    expect(claims).toMatchObject({ kind: "paper", sub: personId });
    expect(claims.rid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(JSON.stringify(claims)).not.toContain("张");
    // Its rid differs from the person's live-code rid, so revoking it leaves the phone code alone.
    const live = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token;
    expect(decodeJwt(live).rid).not.toBe(claims.rid);

    expect(await verify(res.body.token)).toMatchObject({
      valid: true,
      kind: "paper",
      color: "green",
      current: true,
    });
    expect(await offline(res.body.token)).toMatchObject({ valid: true, kind: "paper", color: "green" });

    const page = await call("GET", `/v1/persons/${personId}/paper-code/${res.body.codeId}.html`, { token });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    for (const text of ["纸质码", "PAPER CODE", "张*三", "<svg", "有效至 Valid until", res.body.codeId])
      expect(page.body).toContain(text);

    const html = await call("POST", `/v1/persons/${personId}/paper-code`, {
      token,
      body: { days: 3 },
      headers: { accept: "text/html" },
    });
    expect(html.status).toBe(201);
    expect(html.body).toContain("纸质码");
  });

  it("refuses more days than configured, and persons the caller does not manage", async () => {
    const { token, personId } = await newPerson("paper-errors");
    const tooLong = await call("POST", `/v1/persons/${personId}/paper-code`, { token, body: { days: 8 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.map((e: { path: string }) => e.path)).toEqual(["days"]);
    const stranger = await idToken("paper-stranger");
    expect(
      (await call("POST", `/v1/persons/${personId}/paper-code`, { token: stranger, body: {} })).status,
    ).toBe(403);
  });
});

describe("revocation", () => {
  it("a revoked paper code is refused online, in the CRL and by the offline library with a fresh bundle", async () => {
    const { token, personId } = await newPerson("paper-lost");
    const paper = (await call("POST", `/v1/persons/${personId}/paper-code`, { token, body: {} })).body;
    const other = (await call("POST", `/v1/persons/${personId}/paper-code`, { token, body: {} })).body;
    expect((await offline(paper.token)).valid).toBe(true);

    // The holder reports the printout lost.
    const revoked = await call("DELETE", `/v1/persons/${personId}/paper-code/${paper.codeId}`, { token });
    expect(revoked.status).toBe(204);
    expect(await verify(paper.token)).toEqual({ valid: false, reason: "revoked" });
    expect(await offline(paper.token)).toEqual({ valid: false, reason: "revoked" });
    // The other printout and the phone code are untouched.
    expect(await verify(other.token)).toMatchObject({ valid: true, kind: "paper" });
    const live = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token;
    expect(await verify(live)).toMatchObject({ valid: true, kind: "live" });

    const kid = decodeProtectedHeader(paper.token).kid;
    const crl = await call("GET", `/.well-known/crl/${kid}.json`);
    expect(crl.status).toBe(200);
    expect(crl.body).toMatchObject({ kid, method: "rid", ctr: expect.any(Number) });
    expect(crl.body.rids).toContain(decodeJwt(paper.token).rid);
    expect(JSON.stringify(crl.body)).not.toContain(personId);
    expect((await call("GET", "/.well-known/crl/not-our-kid.json")).status).toBe(404);

    // Revoked printouts cannot be printed again; revoking twice is harmless.
    expect(
      (await call("GET", `/v1/persons/${personId}/paper-code/${paper.codeId}.html`, { token })).status,
    ).toBe(410);
    expect(
      (await call("DELETE", `/v1/persons/${personId}/paper-code/${paper.codeId}`, { token })).status,
    ).toBe(204);
    const listed = (await call("GET", `/v1/persons/${personId}/paper-codes`, { token })).body.paperCodes;
    expect(listed.find((p) => p.codeId === paper.codeId)?.revokedAt).toEqual(expect.any(String));
  });

  it("the authority revokes every code of a person issued before now; codes issued after still verify", async () => {
    const { token, personId } = await newPerson("revoke-all");
    const live = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token;
    const paper = (await call("POST", `/v1/persons/${personId}/paper-code`, { token, body: {} })).body;
    const authority = await authorityToken();
    const res = await call("POST", "/v1/authority/revocations", {
      token: authority,
      body: { personId, scope: "all", reason: "Issued by mistake" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ scope: "all", paperCodesRevoked: 1, before: expect.any(String) });
    expect(await verify(live)).toEqual({ valid: false, reason: "revoked" });
    expect(await verify(paper.token)).toEqual({ valid: false, reason: "revoked" });
    expect(await offline(live)).toEqual({ valid: false, reason: "revoked" });

    await new Promise((r) =>
      setTimeout(r, Date.parse(present(res.body.before, "revocation time")) - Date.now() + 50),
    );
    const fresh = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token;
    expect(await verify(fresh)).toMatchObject({ valid: true });
    expect(await offline(fresh)).toMatchObject({ valid: true });
  });

  it("authority revocation input is checked", async () => {
    const authority = await authorityToken();
    const bad = await call("POST", "/v1/authority/revocations", {
      token: authority,
      body: { personId: "not-a-person", scope: "all", reason: "x" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e: { path: string }) => e.path)).toEqual(["personId"]);
    const noScope = await call("POST", "/v1/authority/revocations", {
      token: authority,
      body: { personId: "k3Jd8s0aQ2W1bX9cYz7LqA", reason: "x" },
    });
    expect(noScope.body.errors?.map((e: { path: string }) => e.path)).toEqual(["scope"]);
    const person = await idToken("revoke-no-role");
    expect(
      (
        await call("POST", "/v1/authority/revocations", {
          token: person,
          body: { personId: "k3Jd8s0aQ2W1bX9cYz7LqA", scope: "all", reason: "x" },
        })
      ).status,
    ).toBe(403);
  });
});

describe("verifier bundle", () => {
  it("is signed by our key, carries issuers, revocations and colours, and is refused by the library once expired", async () => {
    const jwks = (await call("GET", "/.well-known/jwks.json")).body;
    const res = await call("GET", "/v1/verifier-bundle");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d+/);
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.issuedAt)).toBe(24 * 3_600_000);
    expect(decodeProtectedHeader(res.body.bundle)).toMatchObject({
      alg: "ES256",
      typ: "verifier-bundle+jwt",
    });
    const opened = await openBundle(res.body.bundle, jwks, new Date());
    if (!opened.valid) throw new Error(opened.reason);
    const ours = opened.bundle.issuers.find((i) => i.issuer === "https://healthpass.test");
    expect(ours?.jwks.keys.map((k) => k.kid)).toEqual(jwks.keys.map((k: { kid: string }) => k.kid));
    expect(Object.keys(opened.bundle.revocations)).toEqual(jwks.keys.map((k: { kid: string }) => k.kid));
    expect(opened.bundle.colors.red.entry).toBe("deny");

    // The compact JWT form is negotiated by `Accept`; the route's schema describes only the JSON form.
    const raw = await call<string>("GET", "/v1/verifier-bundle", { headers: { accept: "application/jwt" } });
    expect(raw.headers.get("content-type")).toBe("application/jwt");
    expect(raw.body.split(".")).toHaveLength(3);

    // A day and a bit later the bundle verifies nothing.
    const later = new Date(Date.parse(res.body.expiresAt) + 3_600_000);
    expect(await openBundle(res.body.bundle, jwks, later)).toEqual({
      valid: false,
      reason: "bundle_expired",
    });
    const { token, personId } = await newPerson("bundle-expired");
    const code = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token;
    expect(await verifyCode(code, opened.bundle, later)).toEqual({ valid: false, reason: "bundle_expired" });
    // And a bundle signed by someone else is refused outright.
    expect((await openBundle(res.body.bundle, { keys: [] }, new Date())).valid).toBe(false);
  });
});
