import { describe, expect, it } from "vitest";
import { designationScenario } from "../queues/designation-scenario";

describe("a designation at the size of a busy district (issue 12)", () => {
  it("200 venues, 20,000 visits of 16,000 persons: everyone reached exactly once, re-delivery doubles nothing, the lift reaches all", async () => {
    const { exposureMs, visits } = await designationScenario({
      venues: 200,
      visitsPerVenue: 100,
      persons: 16_000,
      districtCode: "510106",
      timeout: 1_200_000,
    });
    expect(visits).toBe(20_000);
    console.log(
      `designation over ${visits} visits: every visitor's object held its exposure after ${exposureMs} ms`,
    );
  }, 2_400_000);
});
