import type { VenueDesignation } from "../../durable/venue-types";
import type { CheckInRow } from "../../schema/checkins";
import { exposureFact } from "./fanout";

/**
 * The fan-out reads the check-ins a venue holds when the designation reaches it; a visit made later
 * while the designation's window is still open is matched by the venue object at check-in (which also
 * records the person as touched, so a lift reaches them) and gets its exposure here. The fact id is
 * the same either way, so a visit reached by both is exposed once.
 */
export async function exposeCovered(
  env: Env,
  row: CheckInRow,
  areas: readonly VenueDesignation[],
): Promise<void> {
  await env.PERSON.getByName(row.personId).addFacts(
    areas.map((area) =>
      exposureFact(area, {
        checkInId: row.checkInId,
        personId: row.personId,
        venueId: row.venueId,
        venueName: row.venueName ?? "",
        visitedAt: row.checkedInAt,
        presence: row.presence,
        kind: row.kind,
      }),
    ),
  );
}
