import type { VenueRow } from "../../schema/d1/venues";
import type { KeyCaller, PersonCaller } from "../auth/caller";
import { forbidden, notFound } from "../http/problems";
import { directoryVenue } from "./directory";
import { findVenue } from "./repo";

/** Unknown and foreign venues get the same 404, so an account cannot probe other venues. */
export async function requireOwnedVenue(env: Env, caller: PersonCaller, venueId: string): Promise<VenueRow> {
  const venue = await findVenue(env, venueId);
  if (!venue || venue.ownerAccountId !== caller.accountId) throw notFound("No such venue among yours");
  return venue;
}

/**
 * The venue a device key acts for; a closed venue's keys can no longer record anything (closing also
 * revokes them). From the directory cache (directory.ts): the staff lanes gain no D1 read.
 */
export async function deviceVenue(env: Env, caller: KeyCaller): Promise<VenueRow> {
  const venue = await directoryVenue(env, caller.ownerId);
  if (!venue) throw forbidden("This device key does not belong to a venue");
  if (venue.closedAt) throw forbidden("This venue is closed");
  return venue;
}
