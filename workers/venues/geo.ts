const EARTH_RADIUS_M = 6_371_008.8;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine); good to well under 1 % at city scale. */
export function haversineMeters(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

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
