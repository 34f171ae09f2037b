import { describe, expect, it } from "vitest";
import { call, idToken, type Problem } from "../helpers/api";
import { applicant, residentId } from "../helpers/identities";

describe("bad input to POST /v1/persons", () => {
  const wrongCheck = residentId().slice(0, 17) + (residentId().endsWith("1") ? "2" : "1");
  it.each([
    ["missing fields", {}, ["name", "idType", "idNumber", "phone", "relationship"]],
    ["wrong types", { ...applicant(), name: 42, relationship: "cousin" }, ["name", "relationship"]],
    ["a bad check digit", applicant(wrongCheck), ["idNumber"]],
    ["an impossible birth date", applicant(residentId("510104", "19900230")), ["idNumber"]],
    ["a passport without nationality", { ...applicant("K1234567"), idType: "passport" }, ["nationality"]],
    [
      "an unknown nationality",
      { ...applicant("K1234567"), idType: "passport", nationality: "XYZ" },
      ["nationality"],
    ],
    ["a bad phone", applicant(undefined, { phone: "call me" }), ["phone"]],
  ])("%s → 400 naming each field", async (_label, body, fields) => {
    const token = await idToken("bad-input");
    const res = await call("POST", "/v1/persons", { token, body });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    expect(res.body.errors?.map((e: { path: string }) => e.path).sort()).toEqual(
      expect.arrayContaining(fields),
    );
  });

  it("malformed JSON → 400 problem", async () => {
    const token = await idToken("bad-json");
    const res = await call("POST", "/v1/persons", { token, rawBody: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("body");
  });

  it("an oversized body → 413 problem", async () => {
    const token = await idToken("big-body");
    const res = await call("POST", "/v1/persons", {
      token,
      body: { ...applicant(), name: "x".repeat(100_000) },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a bad person id in the path → 403, not a 5xx", async () => {
    const token = await idToken("bad-path");
    expect((await call("GET", "/v1/persons/%00%00/code", { token })).status).toBe(403);
  });

  it("an unknown route → 404 problem", async () => {
    // No route: the body is the not-found problem every unknown path answers.
    const res = await call<Problem>("GET", "/v1/nope");
    expect(res.status).toBe(404);
    expect(res.body.type).toContain("not-found");
  });
});
