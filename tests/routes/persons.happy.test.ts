import { describe, expect, it } from "vitest";
import { call, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

describe("applying for a code", () => {
  it("creates a green person, and applying again returns the same person", async () => {
    const idNumber = freshResidentId();
    const token = await idToken("alice", { idType: "resident_id", idNumber });
    const first = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      color: "green",
      maskedName: "张*三",
      relationship: "self",
      version: 1,
    });
    expect(first.body.personId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.body.personId).not.toContain(idNumber.slice(6, 14));

    const again = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    expect(again.status).toBe(200);
    expect(again.body.personId).toBe(first.body.personId);
  });

  it("lists the account's persons with masked names and colours", async () => {
    const idNumber = freshResidentId();
    const token = await idToken("bob", { idType: "resident_id", idNumber });
    await call("POST", "/v1/persons", { token, body: applicant(idNumber, { name: "李四" }) });
    await call("POST", "/v1/persons", {
      token,
      body: applicant(freshResidentId(), { name: "王小明", relationship: "parent" }),
    });
    await call("POST", "/v1/persons", {
      token,
      body: {
        name: "John Smith",
        idType: "passport",
        idNumber: "K1234567",
        nationality: "GBR",
        phone: "+44 7700 900123",
        relationship: "spouse",
      },
    });
    const list = await call("GET", "/v1/persons", { token });
    expect(list.status).toBe(200);
    expect(
      list.body.persons.map((p: { maskedName: string; relationship: string; color: string }) => [
        p.maskedName,
        p.relationship,
        p.color,
      ]),
    ).toEqual([
      ["李*", "self", "green"],
      ["王*明", "parent", "green"],
      ["J*** S****", "spouse", "green"],
    ]);
  });

  it("shows the status with the initial history entry", async () => {
    const idNumber = freshResidentId();
    const token = await idToken("carol", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    const status = await call("GET", `/v1/persons/${body.personId}/status`, { token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ color: "green", version: 1, reasons: [] });
    expect(status.body.history[0]).toMatchObject({ type: "color_change", to: "green", version: 1 });
  });
});
