import { type AffectedTally, tallyAffected, type VisitRow, visitRowsOf } from "../venues/presence";
import { type Coverage, coveredVenuePage, coveringVenuePage } from "./repo";

/** Venue objects asked at once by one request. */
const CONCURRENCY = 50;
const VENUE_PAGE = 1000;

async function eachVenue(
  pageOf: (after: string) => Promise<string[]>,
  fn: (venueId: string) => Promise<void>,
): Promise<number> {
  let after = "";
  let venues = 0;
  for (;;) {
    const ids = await pageOf(after);
    venues += ids.length;
    let next = 0;
    const worker = async () => {
      while (next < ids.length) await fn(ids[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
    const last = ids[ids.length - 1];
    if (ids.length < VENUE_PAGE || !last) return venues;
    after = last;
  }
}

/**
 * What a designation would reach (its dry run and its circuit breaker): every covered venue object
 * folds its visitors in the window, in parallel, and the folds are merged here, so a person who
 * visited several covered venues counts once (`tallyAffected`). The memory is one small row per
 * distinct person.
 */
export async function coverageCounts(env: Env, c: Coverage): Promise<AffectedTally & { venues: number }> {
  const rows: VisitRow[] = [];
  const venues = await eachVenue(
    (after) => coveringVenuePage(env, c, after, VENUE_PAGE),
    async (venueId) => {
      for (const t of await env.VENUE.getByName(venueId).tally(c.from, c.to)) rows.push(...visitRowsOf(t));
    },
  );
  return { ...tallyAffected(rows), venues };
}

/** Distinct persons a designation touched, across its venues (a lift's answer). */
export async function touchedCount(env: Env, riskAreaId: string): Promise<number> {
  const persons = new Set<string>();
  await eachVenue(
    (after) => coveredVenuePage(env, riskAreaId, after, VENUE_PAGE),
    async (venueId) => {
      const venue = env.VENUE.getByName(venueId);
      for (let after = ""; ; ) {
        const ids = await venue.touched(riskAreaId, after, VENUE_PAGE);
        for (const id of ids) persons.add(id);
        const last = ids[ids.length - 1];
        if (ids.length < VENUE_PAGE || !last) break;
        after = last;
      }
    },
  );
  return persons.size;
}
