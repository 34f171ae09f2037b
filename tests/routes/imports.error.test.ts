import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken } from "../helpers/api";

describe("imports: bad requests", () => {
  it("needs the authority role", async () => {
    const token = await idToken("import-nobody");
    const res = await call("POST", "/v1/authority/imports", {
      token,
      rawBody: "{}\n",
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(res.status).toBe(403);
  });

  it("needs NDJSON, and importId with chunk", async () => {
    const token = await authorityToken();
    expect((await call("POST", "/v1/authority/imports", { token, rawBody: "{}\n" })).status).toBe(415);
    const half = await call("POST", "/v1/authority/imports?importId=x", {
      token,
      rawBody: "{}\n",
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(half.status).toBe(400);
    expect(half.body.errors?.[0]?.path).toBe("chunk");
  });

  it("reports every line of a body of garbage, never failing the request", async () => {
    const token = await authorityToken();
    const res = await call("POST", "/v1/authority/imports", {
      token,
      rawBody: '[]\nnull\n42\n{"idType":"resident_id"}\n',
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected.map((r: { line: number }) => r.line)).toEqual([1, 2, 3, 4]);
    expect(res.body.rejected[3]?.message).toMatch(/idNumber/);
  });
});
