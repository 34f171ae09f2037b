import type { CheckInRow } from "../../schema/d1/checkins";
import { exposureFact } from "./fanout";
import { areasCoveringVisit, recordTouched, riskAreasByIds } from "./repo";

/**
 * The fan-out reads the check-ins that exist when a venue is designated; a visit made later while
 * the designation's window is still open is matched here, at check-in, so "everyone who checked in
 * between from and to" holds for windows that reach into the future. `areaIds`: the covering
 * designations when the caller already read them after its insert (`coveringVisitStatement`).
 */
export async function exposeNewCheckIn(
  env: Env,
  row: CheckInRow,
  venueName: string,
  areaIds?: string[],
): Promise<void> {
  const areas = areaIds
    ? await riskAreasByIds(env, areaIds)
    : await areasCoveringVisit(env, row.venueId, row.checkedInAt, row.presence);
  for (const area of areas) {
    await recordTouched(env, area.riskAreaId, [row.personId]);
    await env.PERSON.getByName(row.personId).addFacts([
      exposureFact(area, {
        checkInId: row.checkInId,
        personId: row.personId,
        venueId: row.venueId,
        venueName,
        visitedAt: row.checkedInAt,
        presence: row.presence,
        kind: row.kind,
      }),
    ]);
  }
}
