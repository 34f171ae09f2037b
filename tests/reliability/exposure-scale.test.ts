import { describe, expect, inject, it } from "vitest";
import { designationScenario } from "../queues/designation-scenario";

// 200 venues always (the fan-out is per venue); the visits per venue come from EXPOSURE_VISITS_PER_VENUE:
// 10 by default (2,000 visits, what CI's time allows), 100 for the 20,000 visits of 16,000
// persons (every visitor is a person object created by its exposure: about half an hour here).
const PER_VENUE = Number(inject("exposureVisitsPerVenue") || 10);
const VENUES = 200;
const VISITS = VENUES * PER_VENUE;

describe("a designation at the size of a busy district (issue 12)", () => {
  it(`${VENUES} venues, ${VISITS} visits of ${(VISITS * 4) / 5} persons: everyone reached exactly once, re-delivery doubles nothing, the lift reaches all`, async () => {
    const { exposureMs, visits } = await designationScenario({
      venues: VENUES,
      visitsPerVenue: PER_VENUE,
      persons: (VISITS * 4) / 5,
      districtCode: "510106",
      timeout: 1_200_000,
    });
    expect(visits).toBe(VISITS);
    console.log(
      `designation over ${visits} visits: every visitor's object held its exposure after ${exposureMs} ms`,
    );
  }, 2_400_000);
});
