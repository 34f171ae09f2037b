import { describe, expect, it } from "vitest";
import { call, type ExplainedStatus, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { everyShard } from "../helpers/shards";

describe("one person, one code", () => {
  it("two accounts asserting the same identity share one person", async () => {
    const idNumber = freshResidentId();
    const identity = { idType: "resident_id", idNumber };
    const wechat = await idToken("wechat-user", identity);
    const alipay = await idToken("alipay-user", identity);
    const a = await call("POST", "/v1/persons", { token: wechat, body: applicant(idNumber) });
    const b = await call("POST", "/v1/persons", { token: alipay, body: applicant(idNumber) });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.personId).toBe(a.body.personId);
  });

  it("refuses a second self binding without a token asserting the identity", async () => {
    const idNumber = freshResidentId();
    const owner = await idToken("owner", { idType: "resident_id", idNumber });
    await call("POST", "/v1/persons", { token: owner, body: applicant(idNumber) });
    const stranger = await idToken("stranger-knows-the-number");
    const res = await call("POST", "/v1/persons", { token: stranger, body: applicant(idNumber) });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses a self application that does not match the asserted identity", async () => {
    const token = await idToken("mismatch", { idType: "resident_id", idNumber: freshResidentId() });
    const res = await call("POST", "/v1/persons", { token, body: applicant(freshResidentId()) });
    expect(res.status).toBe(403);
  });

  it("allows five relatives and refuses the sixth", async () => {
    const token = await idToken("big-family");
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/v1/persons", {
        token,
        body: applicant(freshResidentId(), { relationship: "child" }),
      });
      expect(res.status).toBe(201);
    }
    const sixth = await call("POST", "/v1/persons", {
      token,
      body: applicant(freshResidentId(), { relationship: "parent" }),
    });
    expect(sixth.status).toBe(409);
    expect(sixth.body.detail).toMatch(/5 relatives/);
  });

  it("tells the person's own accounts when a relative asks to manage them", async () => {
    const idNumber = freshResidentId();
    const self = await idToken("grandpa", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token: self, body: applicant(idNumber) });
    const grandson = await idToken("grandson");
    const added = await call("POST", "/v1/persons", {
      token: grandson,
      body: applicant(idNumber, { relationship: "parent" }),
    });
    expect(added.status).toBe(202);
    const status = await call<ExplainedStatus>("GET", `/v1/persons/${body.personId}/status`, { token: self });
    expect(
      status.body.history.some(
        (h) => h.type === "notice" && h.kind === "manager_request" && h.requestId === added.body.requestId,
      ),
    ).toBe(true);
  });

  it("answers 403 for a person the caller does not manage, and for unknown ids alike", async () => {
    const idNumber = freshResidentId();
    const owner = await idToken("owner2", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token: owner, body: applicant(idNumber) });
    const other = await idToken("nosy");
    for (const path of [
      `/v1/persons/${body.personId}/code`,
      `/v1/persons/${body.personId}/status`,
      "/v1/persons/AAAAAAAAAAAAAAAAAAAAAA/code",
    ]) {
      expect((await call("GET", path, { token: other })).status).toBe(403);
    }
  });

  it.each([
    ["no token", undefined],
    ["garbage", "not-a-jwt"],
    [
      "a token from an unknown issuer",
      "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSIsInN1YiI6IngifQ.",
    ],
  ])("refuses %s with 401", async (_label, token) => {
    const res = await call("GET", "/v1/persons", { token });
    expect(res.status).toBe(401);
    expect(res.body.type).toContain("unauthorized");
  });

  it("hides every /dev path when development mode is off", async () => {
    const prod = { ...env, DEV_MODE: "false" } as Env;
    expect((await call("POST", "/dev/id-token", { env: prod, body: { sub: "x" } })).status).toBe(404);
    expect((await call("GET", "/dev/seed", { env: prod })).status).toBe(404);
    // A token minted while development mode was on is not accepted once it is off.
    const token = await idToken("dev-only");
    expect((await call("GET", "/v1/persons", { env: prod, token })).status).toBe(401);
  });

  it("never stores the identity number, name or phone in clear", async () => {
    const idNumber = freshResidentId();
    const token = await idToken("privacy", { idType: "resident_id", idNumber });
    await call("POST", "/v1/persons", {
      token,
      body: applicant(idNumber, { name: "隐私测试", phone: "13900001111" }),
    });
    const dump = JSON.stringify(await everyShard("SELECT * FROM persons"));
    expect(dump).not.toContain(idNumber);
    expect(dump).not.toContain("隐私测试");
    expect(dump).not.toContain("13900001111");
  });
});
