import { describe, expect, it } from "vitest";
import { tally } from "../../../workers/authority/stats";

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
});
