import { describe, expect, it } from "vitest";
import { designationScenario } from "./designation-scenario";

describe("a district designation fans out per venue, in parallel", () => {
  it("over 20 venues and 600 visits of 450 persons: dry run counts distinct persons, each visitor gets each exposure once, re-delivery doubles nothing, the lift reaches everyone", async () => {
    const { visits } = await designationScenario({
      venues: 20,
      visitsPerVenue: 30,
      persons: 450,
      districtCode: "510106",
      timeout: 120_000,
    });
    expect(visits).toBe(600);
  }, 300_000);
});
