import { exports } from "cloudflare:workers";
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken, present } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function newPerson(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: body.personId as string };
}
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;
const jwksKids = async () =>
  (await call("GET", "/.well-known/jwks.json")).body.keys.map((k: { kid: string }) => k.kid);
const verify = async (token: string) => (await call("POST", "/v1/verify", { body: { token } })).body;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("signing-key rotation across the switch", () => {
  it("publishes the new key ahead of use, switches at activateAt, both codes verify, the old key retires later", async () => {
    const authority = await authorityToken();
    const { token, personId } = await newPerson("rotation");
    const before = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token as string;
    const oldKid = kidOf(before);

    const activateAt = new Date(Date.now() + 2_000).toISOString();
    const created = await call("POST", "/v1/authority/signing-keys", {
      token: authority,
      body: { activateAt },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "pending", source: "generated", retiredAt: null });
    const newKid = created.body.kid as string;
    expect(newKid).not.toBe(oldKid);
    // Published at once, before it signs anything.
    expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, newKid]));
    const stillOld = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token as string;
    expect(kidOf(stillOld)).toBe(oldKid);

    // One rotation at a time.
    const second = await call("POST", "/v1/authority/signing-keys", {
      token: authority,
      body: { activateAt },
    });
    expect(second.status).toBe(409);

    await sleep(Date.parse(activateAt) - Date.now() + 300);
    const after = (await call("GET", `/v1/persons/${personId}/code`, { token })).body.token as string;
    expect(kidOf(after)).toBe(newKid);
    expect(await verify(before)).toMatchObject({ valid: true, color: "green", current: true });
    expect(await verify(after)).toMatchObject({ valid: true, color: "green", current: true });
    expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, newKid]));

    const listed = (await call("GET", "/v1/authority/signing-keys", { token: authority })).body.keys;
    const oldKey = present(
      listed.find((k) => k.kid === oldKid),
      "old signing key",
    );
    expect(oldKey).toMatchObject({ status: "previous", source: "secret", stoppedAt: expect.any(String) });
    const retiresAfter = present(oldKey.retiresAfter, "old key's retiresAfter");
    // Published for at least the longest code lifetime (7-day paper codes) after it stopped signing.
    expect(
      Date.parse(retiresAfter) - Date.parse(present(oldKey.stoppedAt, "old key's stoppedAt")),
    ).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(listed.find((k: { kid: string }) => k.kid === newKid)).toMatchObject({ status: "active" });

    // The scheduled job a little after retiresAfter: the old key leaves the JWKS and verifies nothing.
    const scheduledTime = new Date(Date.parse(retiresAfter) + 60_000);
    // The Worker's own scheduled handler, as the cron trigger calls it (the entrypoint is a Fetcher).
    await (
      exports.default as unknown as { scheduled(o: { scheduledTime: Date; cron: string }): Promise<unknown> }
    ).scheduled({ scheduledTime, cron: "*/15 * * * *" });
    expect(await jwksKids()).toEqual([newKid]);
    expect(await verify(before)).toEqual({ valid: false, reason: "unknown_key" });
    expect(await verify(after)).toMatchObject({ valid: true });
    const afterRetire = (await call("GET", "/v1/authority/signing-keys", { token: authority })).body.keys;
    expect(afterRetire.find((k: { kid: string }) => k.kid === oldKid)).toMatchObject({
      status: "retired",
      retiredAt: scheduledTime.toISOString(),
    });
  }, 20_000);

  it("refuses an activation in the past, and non-authority callers", async () => {
    const authority = await authorityToken();
    const past = await call("POST", "/v1/authority/signing-keys", {
      token: authority,
      body: { activateAt: "2020-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors?.map((e: { path: string }) => e.path)).toEqual(["activateAt"]);
    expect((await call("POST", "/v1/authority/signing-keys", { token: authority, body: {} })).status).toBe(
      400,
    );
    const person = await idToken("no-role");
    expect((await call("GET", "/v1/authority/signing-keys", { token: person })).status).toBe(403);
  });
});
