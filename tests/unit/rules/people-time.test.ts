import { describe, expect, it } from "vitest";
import { peopleTime, peopleTimes } from "../../../durable/rules/people-time";

describe("times for people (Asia/Shanghai, UTC+8)", () => {
  it("writes the issue's example in both languages", () => {
    expect(peopleTimes("2026-11-27T23:30:00Z")).toEqual({
      zh: "2026年11月28日 07:30",
      en: "28 Nov 2026, 07:30 (UTC+8)",
    });
  });

  it("crosses midnight at 16:00 UTC, not at 00:00 UTC", () => {
    expect(peopleTime("2026-11-28T15:59:00Z", "zh")).toBe("2026年11月28日 23:59");
    expect(peopleTime("2026-11-28T16:00:00Z", "zh")).toBe("2026年11月29日 00:00");
    expect(peopleTime("2026-11-28T16:00:00Z", "en")).toBe("29 Nov 2026, 00:00 (UTC+8)");
    // Year and month boundaries move with the day.
    expect(peopleTime("2026-12-31T16:00:00Z", "zh")).toBe("2027年1月1日 00:00");
    expect(peopleTime("2026-12-31T16:00:00Z", "en")).toBe("1 Jan 2027, 00:00 (UTC+8)");
    expect(peopleTime("2027-02-28T20:15:00Z", "en")).toBe("1 Mar 2027, 04:15 (UTC+8)");
  });

  it("accepts ISO with an offset, epoch milliseconds and dates", () => {
    const ms = Date.parse("2026-11-27T23:30:00Z");
    expect(peopleTime("2026-11-28T07:30:00+08:00", "en")).toBe("28 Nov 2026, 07:30 (UTC+8)");
    expect(peopleTime(ms, "zh")).toBe("2026年11月28日 07:30");
    expect(peopleTime(new Date(ms), "zh")).toBe("2026年11月28日 07:30");
  });

  it("drops seconds, or rounds up to the next minute when asked (never a minute too early)", () => {
    expect(peopleTime("2026-11-27T23:30:59.999Z", "en")).toBe("28 Nov 2026, 07:30 (UTC+8)");
    expect(peopleTime("2026-11-27T23:30:00.001Z", "en", { round: "up" })).toBe("28 Nov 2026, 07:31 (UTC+8)");
    expect(peopleTime("2026-11-27T23:30:00Z", "en", { round: "up" })).toBe("28 Nov 2026, 07:30 (UTC+8)");
    expect(peopleTime("2026-11-28T15:59:30Z", "zh", { round: "up" })).toBe("2026年11月29日 00:00");
  });

  it("refuses what is not a time instead of printing NaN", () => {
    expect(() => peopleTime("yesterday", "zh")).toThrow(RangeError);
  });
});
