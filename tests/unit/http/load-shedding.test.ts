import { describe, expect, it } from "vitest";
import { admits, priorityOf } from "../../../workers/http/load-shedding";

describe("load shedding", () => {
  it.each([
    ["POST", "/v1/verify", "essential"],
    ["GET", "/v1/persons/abc/code", "essential"],
    ["POST", "/v1/venue/scan", "essential"],
    ["GET", "/.well-known/jwks.json", "essential"],
    ["GET", "/v1/authority/stats", "nonessential"],
    ["POST", "/v1/venue/lookup", "nonessential"],
    ["GET", "/v1/testing-sites", "nonessential"],
    ["POST", "/v1/persons", "normal"],
    ["GET", "/v1/persons/abc/status", "normal"],
  ])("%s %s is %s", (method, path, priority) => {
    expect(priorityOf(method, path)).toBe(priority);
  });

  it("refuses non-essential work first and essential work last", () => {
    const limits = { nonessentialAt: 10, allAt: 30 };
    expect([admits("nonessential", 9, limits), admits("nonessential", 10, limits)]).toEqual([true, false]);
    expect([admits("normal", 19, limits), admits("normal", 20, limits)]).toEqual([true, false]);
    expect([admits("essential", 29, limits), admits("essential", 30, limits)]).toEqual([true, false]);
  });
});
