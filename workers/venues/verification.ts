import type { VenueRow } from "../../schema/d1/venues";
import { ProblemError } from "../http/problems";

/**
 * A venue is run by whoever registers it, so until the authority has verified it, it may not name
 * identities: no staff look-up (an identity-number oracle) and no manual entry with an identity (a
 * way to put anyone's number at a venue, i.e. to make them yellow when the district is designated).
 */
export function needsVerifiedVenue(venue: Pick<VenueRow, "status">): boolean {
  return venue.status !== "verified";
}

export const unverifiedVenue = (what: string) =>
  new ProblemError(
    403,
    "venue-unverified",
    "Venue not verified",
    `${what} needs a venue verified by the health authority; this venue is not verified yet`,
  );
