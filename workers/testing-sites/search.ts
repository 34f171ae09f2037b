import { districtMatches } from "../../schema/districts";
import type { OpeningHours } from "../../schema/opening-hours";
import { haversineKm, type LatLon } from "../lib/distance";
import { isOpenAt } from "./opening-hours";

export interface Site {
  siteId: string;
  name: string;
  address: string;
  districtCode: string;
  location: LatLon;
  openingHours: OpeningHours;
  services: string[];
  free: boolean;
  phone?: string;
}

export interface SiteQuery {
  districtCode?: string;
  near?: LatLon;
  openNow?: boolean;
  service?: string;
}

export type FoundSite = Site & { distanceKm?: number; openNow?: boolean };

/** Position in the result order; a page continues strictly after the last key it returned. */
export type SortKey = (string | number)[];

export interface Page {
  sites: FoundSite[];
  /** The sort key of the last site, when more follow. */
  next?: SortKey;
}

/** Rounded for display; the order uses the exact distance so ties are rare and broken by id. */
const roundKm = (km: number) => Math.round(km * 1000) / 1000;

export function sortKey(site: FoundSite): SortKey {
  return site.distanceKm !== undefined
    ? [site.distanceKm, site.siteId]
    : [site.districtCode, site.name, site.siteId];
}

export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Filters, measures and orders the directory, then cuts one page after `after`. Keyset pagination
 * (not an offset) keeps pages stable when sites are added or removed between two requests.
 */
export function searchSites(
  sites: readonly Site[],
  q: SiteQuery,
  now: Date,
  limit: number,
  after?: SortKey,
): Page {
  const found: { site: FoundSite; key: SortKey }[] = [];
  for (const s of sites) {
    if (q.districtCode && !districtMatches(q.districtCode, s.districtCode)) continue;
    if (q.service && !s.services.includes(q.service)) continue;
    const open = isOpenAt(s.openingHours, now);
    if (q.openNow && !open) continue;
    const site: FoundSite = { ...s, openNow: open };
    const exact = q.near ? haversineKm(q.near, s.location) : undefined;
    if (exact !== undefined) site.distanceKm = roundKm(exact);
    const key = exact !== undefined ? [exact, s.siteId] : sortKey(site);
    if (after && compareKeys(key, after) <= 0) continue;
    found.push({ site, key });
  }
  found.sort((a, b) => compareKeys(a.key, b.key));
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return { sites: page.map((f) => f.site), ...(found.length > limit && last ? { next: last.key } : {}) };
}
