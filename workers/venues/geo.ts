import { haversineMeters, type LatLon } from "../lib/distance";

export type LocationVerdict = { distanceM: number | null; tooFar: boolean };

/**
 * A check-in is refused when the device reports a location farther than `radiusM` from the venue.
 * Without a location on either side nothing can be said, so the check-in is accepted with no distance
 * (the kind of code used is still recorded).
 */
export function locationVerdict(
  venue: { lat?: number | null; lon?: number | null } | null,
  device: LatLon | undefined,
  radiusM: number,
): LocationVerdict {
  if (!device || venue?.lat == null || venue.lon == null) return { distanceM: null, tooFar: false };
  const distanceM = Math.round(haversineMeters({ lat: venue.lat, lon: venue.lon }, device));
  return { distanceM, tooFar: distanceM > radiusM };
}
