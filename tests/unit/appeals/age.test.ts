import { describe, expect, it } from "vitest";
import { appealAge } from "../../../workers/appeals/age";

describe("appeal age", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it("is overdue only when open and past the target", () => {
    expect(appealAge("2026-11-24T11:00:00Z", "open", now, 24)).toEqual({ ageHours: 25, overdue: true });
    expect(appealAge("2026-11-24T13:00:00Z", "open", now, 24)).toEqual({ ageHours: 23, overdue: false });
    expect(appealAge("2026-11-20T12:00:00Z", "answered", now, 24)).toEqual({ ageHours: 120, overdue: false });
  });
});
