import { describe, expect, it } from "vitest";
import { call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

describe("overload", () => {
  it("sheds non-essential requests with 503 + Retry-After while verification keeps answering", async () => {
    const idNumber = freshResidentId();
    const token = await idToken("overload", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    const code = (await call("GET", `/v1/persons/${body.personId}/code`, { token })).body.token;
    const busy = { ...env, SHED_NONESSENTIAL_AT: "3", SHED_ALL_AT: "1000" } as Env;

    const verifies = Array.from({ length: 30 }, () =>
      call("POST", "/v1/verify", { env: busy, body: { token: code } }),
    );
    const docs = Array.from({ length: 30 }, () => call("GET", "/openapi.json", { env: busy }));
    const [v, d] = await Promise.all([Promise.all(verifies), Promise.all(docs)]);

    expect(v.every((r) => r.status === 200 && r.body.valid === true)).toBe(true);
    const shed = d.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of shed) {
      expect(r.headers.get("retry-after")).toBe("5");
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(d.every((r) => r.status === 200 || r.status === 503)).toBe(true);
  });
});
