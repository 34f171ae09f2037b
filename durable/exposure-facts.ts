import type { CheckInRow } from "../schema/checkins";
import type { ExposureFact } from "./rules/facts";
import type { VenueDesignation, Visit } from "./venue-types";

/**
 * The exposure fact of one visit under one designation. Its id names both, so a visit reached by the
 * fan-out and by the live match at check-in is exposed once.
 */
export function exposureFact(
  area: Pick<VenueDesignation, "riskAreaId" | "level" | "reason">,
  v: Visit,
): ExposureFact {
  return {
    kind: "exposure",
    id: `exposure:${area.riskAreaId}:${v.checkInId}`,
    riskAreaId: area.riskAreaId,
    venueId: v.venueId,
    venueName: v.venueName,
    level: area.level,
    visitedAt: v.visitedAt,
    reason: area.reason,
    checkInId: v.checkInId,
    ...(v.presence ? { presence: v.presence } : {}),
  };
}

/** A check-in as exposure sees it. */
export const visitOfCheckIn = (row: CheckInRow): Visit => ({
  checkInId: row.checkInId,
  personId: row.personId,
  venueId: row.venueId,
  venueName: row.venueName ?? "",
  visitedAt: row.checkedInAt,
  presence: row.presence,
  kind: row.kind,
});
