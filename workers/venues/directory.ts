import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type VenueRow, venues } from "../../schema/d1/venues";
import { perEnv } from "../lib/ttl-cache";

/**
 * The venue directory row as the check-in lanes read it (name, location, open or closed, place-code
 * generation, district, status), from a per-isolate cache: a check-in reads D1 at most once a minute
 * per venue and isolate. Bounded staleness: closing a venue, renewing its place code or verifying it
 * takes effect everywhere within VENUE_CACHE_MS (at once in the isolate that made the change, which
 * forgets its copy: repo.ts calls `forgetVenue` on every update). A venue not found is not cached (place codes are MAC'd, so unknown ids are rare).
 */
export const VENUE_CACHE_MS = 60_000;

const cache = perEnv<VenueRow>(50_000);

export async function directoryVenue(
  env: Env,
  venueId: string,
  now = Date.now(),
): Promise<VenueRow | undefined> {
  const hit = cache(env).get(venueId, now);
  if (hit) return hit;
  const row = await drizzle(env.DB).select().from(venues).where(eq(venues.venueId, venueId)).get();
  if (row) cache(env).set(venueId, row, now + VENUE_CACHE_MS);
  return row;
}

/** After a change to the directory row made in this isolate. */
export function forgetVenue(env: Env, venueId: string): void {
  cache(env).delete(venueId);
}
