import { describe, expect, it } from "vitest";
import { call, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

describe("appeals: who may do what", () => {
  it("only a manager of the person files or reads appeals; only the authority lists and answers", async () => {
    const idNumber = freshResidentId();
    const owner = await idToken("ap-owner", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token: owner, body: applicant(idNumber) });
    const filed = await call("POST", `/v1/persons/${body.personId}/appeals`, {
      token: owner,
      body: { kind: "appeal", text: "x" },
    });
    expect(filed.status).toBe(201);

    const stranger = await idToken("ap-stranger");
    expect(
      (
        await call("POST", `/v1/persons/${body.personId}/appeals`, {
          token: stranger,
          body: { kind: "appeal", text: "x" },
        })
      ).status,
    ).toBe(403);
    expect((await call("GET", `/v1/persons/${body.personId}/appeals`, { token: stranger })).status).toBe(403);
    expect((await call("GET", "/v1/authority/appeals", { token: owner })).status).toBe(403);
    expect(
      (
        await call("POST", `/v1/authority/appeals/${filed.body.appealId}/answer`, {
          token: owner,
          body: { answer: "ok" },
        })
      ).status,
    ).toBe(403);
  });

  it("rejects bad input with 400 naming the field", async () => {
    const idNumber = freshResidentId();
    const owner = await idToken("ap-input", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token: owner, body: applicant(idNumber) });
    const bad = await call("POST", `/v1/persons/${body.personId}/appeals`, {
      token: owner,
      body: { kind: "complaint", text: "" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e: { path: string }) => e.path).sort()).toEqual(["kind", "text"]);
  });
});
