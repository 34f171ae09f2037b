import { describe, expect, it } from "vitest";
import { problems } from "../../schema/wire/common";
import { call } from "../helpers/api";

type Doc = {
  paths: Record<string, Record<string, { responses?: Record<string, { description?: string }> }>>;
};

describe("/openapi.json error answers", () => {
  it("describe each status with that status's own words, never another's", async () => {
    const doc = (await call<Doc>("GET", "/openapi.json")).body;
    const statusOf = new Map<string, string>(Object.entries(problems).map(([s, r]) => [r.description, s]));
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const shared = statusOf.get(response.description ?? "");
          if (shared) seen.add(status);
          if (shared && shared !== status)
            wrong.push(`${method.toUpperCase()} ${path} ${status}: "${response.description}"`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The statuses that used to borrow another's description are now documented as themselves.
    for (const status of ["409", "410", "413", "415", "422", "429"]) expect(seen).toContain(status);
  });
});
