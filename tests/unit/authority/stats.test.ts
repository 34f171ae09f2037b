import { describe, expect, it } from "vitest";
import { dailySeries, tally } from "../../../workers/authority/stats";

describe("statistics", () => {
  it("tallies colours overall and by district", () => {
    const out = tally([
      { districtCode: "510104", color: "green", n: 3 },
      { districtCode: "510104", color: "red", n: 1 },
      { districtCode: null, color: "yellow", n: 2 },
    ]);
    expect(out.total).toBe(6);
    expect(out.byColor).toEqual({ green: 3, yellow: 2, red: 1 });
    expect(out.byDistrict).toEqual([
      { districtCode: "510104", districtName: "锦江区", green: 3, yellow: 0, red: 1 },
      { districtCode: null, districtName: null, green: 0, yellow: 2, red: 0 },
    ]);
  });

  it("rebuilds persons by colour per day from registrations and the change log", () => {
    const series = dailySeries(
      [
        { day: "2026-11-01", n: 10 }, // before the window: counted in the starting totals
        { day: "2026-11-26", n: 5 },
      ],
      [
        { day: "2026-11-02", fromColor: "green", toColor: "red", n: 2 },
        { day: "2026-11-26", fromColor: "green", toColor: "yellow", n: 3 },
        { day: "2026-11-27", fromColor: "yellow", toColor: "green", n: 1 },
        { day: "2026-11-27", fromColor: "red", toColor: "yellow", n: 1 },
      ],
      "2026-11-27",
      3,
    );
    expect(series).toEqual([
      { at: "2026-11-25", green: 8, yellow: 0, red: 2 },
      { at: "2026-11-26", green: 10, yellow: 3, red: 2 },
      { at: "2026-11-27", green: 11, yellow: 3, red: 1 },
    ]);
  });
});
