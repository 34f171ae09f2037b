import type { VenueRow } from "../../schema/d1/venues";
import type { Color } from "../../schema/vocabulary";

/** A venue as its owner sees it. */
export function venueView(v: VenueRow) {
  return {
    venueId: v.venueId,
    name: v.name,
    category: v.category,
    address: v.address,
    districtCode: v.districtCode,
    location: v.lat != null && v.lon != null ? { lat: v.lat, lon: v.lon } : null,
    createdAt: v.createdAt,
    closedAt: v.closedAt,
    posterUrl: `/v1/venues/${v.venueId}/poster.svg`,
    status: v.status,
    creditCode: v.creditCode,
    verifiedAt: v.verifiedAt,
  };
}

/** What staff do with a colour at the door: the contract's green/yellow/red as an entry decision. */
export function entryFor(color: Color): "pass" | "restricted" | "deny" {
  return color === "green" ? "pass" : color === "yellow" ? "restricted" : "deny";
}

export const CATEGORY_LABEL: Record<VenueRow["category"], { zh: string; en: string }> = {
  school: { zh: "学校", en: "School" },
  hospital: { zh: "医院", en: "Hospital" },
  market: { zh: "市场", en: "Market" },
  station: { zh: "车站", en: "Station" },
  airport: { zh: "机场", en: "Airport" },
  care_home: { zh: "养老机构", en: "Care home" },
  office: { zh: "办公场所", en: "Office" },
  other: { zh: "其他场所", en: "Venue" },
};

/** For text put into SVG or HTML: a venue name is owner input and must never become markup. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
