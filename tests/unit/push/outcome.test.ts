import { describe, expect, it } from "vitest";
import { backoffSeconds, classifyPushResponse, parseRetryAfter } from "../../../workers/push/outcome";

const now = Date.parse("2026-11-05T08:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 7 ", now)).toBe(7);
    expect(parseRetryAfter("Thu, 05 Nov 2026 08:02:30 GMT", now)).toBe(150);
  });

  it("waits at least a second for a past date or zero, and at most a day", () => {
    expect(parseRetryAfter("Thu, 05 Nov 2026 07:00:00 GMT", now)).toBe(1);
    expect(parseRetryAfter("0", now)).toBe(1);
    expect(parseRetryAfter("99999999", now)).toBe(86_400);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("backoffSeconds", () => {
  it("doubles per attempt between half and all of 30 s × 2^attempt, capped at an hour", () => {
    expect(backoffSeconds(0, () => 0)).toBe(15);
    expect(backoffSeconds(0, () => 1)).toBe(30);
    expect(backoffSeconds(3, () => 0)).toBe(120);
    expect(backoffSeconds(3, () => 1)).toBe(240);
    expect(backoffSeconds(20, () => 1)).toBe(3600);
    expect(backoffSeconds(20, () => 0)).toBe(1800);
  });
});

describe("classifyPushResponse", () => {
  it.each([
    [201, { kind: "delivered" }],
    [200, { kind: "delivered" }],
    [202, { kind: "delivered" }],
    [404, { kind: "gone" }],
    [410, { kind: "gone" }],
    [400, { kind: "rejected", status: 400 }],
    [401, { kind: "rejected", status: 401 }],
    [403, { kind: "rejected", status: 403 }],
    [413, { kind: "rejected", status: 413 }],
    [301, { kind: "rejected", status: 301 }],
  ])("%i → %o", (status, outcome) => {
    expect(classifyPushResponse(status, null, 0, now)).toEqual(outcome);
  });

  it("retries 429 and 5xx, preferring the service's Retry-After to our backoff", () => {
    expect(classifyPushResponse(429, "120", 0, now)).toEqual({ kind: "retry", afterSeconds: 120 });
    expect(classifyPushResponse(503, "45", 5, now)).toEqual({ kind: "retry", afterSeconds: 45 });
    const backoff = classifyPushResponse(502, null, 1, now);
    expect(backoff.kind === "retry" && backoff.afterSeconds >= 30 && backoff.afterSeconds <= 60).toBe(true);
  });
});
