import type { PersonTally } from "../../durable/venue-types";
import type { CheckInKind, Presence } from "../../schema/checkins";

/**
 * How a check-in showed that the person was at the venue, and what that means for exposure. Pure
 * functions over plain rows (the check-ins live in venue and person objects).
 *
 * Posters and venue ids are public and codes can be photographed, so only three things count as
 * presence: the device's location inside the venue's radius, a rotating on-screen code (it expires in
 * a minute), or staff scanning a live code issued within the last minute (older codes may be
 * screenshots or replays). Everything else (a printed poster without a location, a manual entry, a
 * paper code, an older live code) is `unconfirmed`: still recorded, counted apart in a designation's
 * dry run, and left out when the designation says `excludeUnconfirmed`.
 */

/** A live code scanned more than this after it was issued no longer proves its holder is at the door. */
export const FRESH_SCAN_S = 60;

export type PresenceInput =
  | { lane: "place_code"; placeKind: "printed" | "rotating"; distanceM: number | null; radiusM: number }
  | { lane: "scan"; codeKind: "live" | "paper"; issuedAtS: number; nowS: number }
  | { lane: "manual" };

export function presenceOf(input: PresenceInput): Presence {
  switch (input.lane) {
    case "place_code":
      if (input.placeKind === "rotating") return "rotating_code";
      return input.distanceM !== null && input.distanceM <= input.radiusM ? "location" : "unconfirmed";
    case "scan":
      // A code dated in the future by clock skew counts as fresh; the verifier has bounded the skew.
      return input.codeKind === "live" && input.nowS - input.issuedAtS <= FRESH_SCAN_S
        ? "staff_scan"
        : "unconfirmed";
    case "manual":
      return "unconfirmed";
  }
}

export const isConfirmed = (p: Presence): boolean => p !== "unconfirmed";

/** Why an unconfirmed visit is unconfirmed, as a dry run reports it. */
export type UnconfirmedCause = "manual_entry" | "older_scan" | "unconfirmed_check_in";

export function unconfirmedCause(kind: CheckInKind): UnconfirmedCause {
  return kind === "manual" ? "manual_entry" : kind === "scan" ? "older_scan" : "unconfirmed_check_in";
}

export interface VisitRow {
  personId: string;
  kind: CheckInKind;
  presence: Presence;
  voidedAt?: string | null;
}

export interface AffectedTally {
  /** Distinct persons with a counted visit. */
  persons: number;
  /** Of those, persons whose every visit is unconfirmed. */
  unconfirmedOnly: number;
  /** Of the unconfirmed-only persons, how many have at least one visit of each cause. */
  byCause: Record<UnconfirmedCause, number>;
}

/** What a designation would reach over these visits (voided ones never count). */
export function tallyAffected(rows: readonly VisitRow[]): AffectedTally {
  const persons = new Map<string, { confirmed: boolean; causes: Set<UnconfirmedCause> }>();
  for (const r of rows) {
    if (r.voidedAt) continue;
    let p = persons.get(r.personId);
    if (!p) {
      p = { confirmed: false, causes: new Set() };
      persons.set(r.personId, p);
    }
    if (isConfirmed(r.presence)) p.confirmed = true;
    else p.causes.add(unconfirmedCause(r.kind));
  }
  const byCause: Record<UnconfirmedCause, number> = {
    manual_entry: 0,
    older_scan: 0,
    unconfirmed_check_in: 0,
  };
  let unconfirmedOnly = 0;
  for (const p of persons.values()) {
    if (p.confirmed) continue;
    unconfirmedOnly++;
    for (const c of p.causes) byCause[c]++;
  }
  return { persons: persons.size, unconfirmedOnly, byCause };
}

/** Whether a visit exposes its person under a designation (the per-visit rule of the fan-out). */
export function visitExposes(
  visit: { presence: Presence; voidedAt?: string | null },
  area: { excludeUnconfirmed: boolean },
): boolean {
  if (visit.voidedAt) return false;
  return !area.excludeUnconfirmed || isConfirmed(visit.presence);
}

/**
 * One venue's fold of a person's visits (VenueObject.tally) as visit rows that `tallyAffected` counts
 * the same way: merged across venues, a person counts once, confirmed if confirmed anywhere.
 */
export function visitRowsOf(t: PersonTally): VisitRow[] {
  const rows: VisitRow[] = [];
  if (t.confirmed) rows.push({ personId: t.personId, kind: "printed", presence: "location" });
  if (t.manual) rows.push({ personId: t.personId, kind: "manual", presence: "unconfirmed" });
  if (t.scan) rows.push({ personId: t.personId, kind: "scan", presence: "unconfirmed" });
  if (t.other) rows.push({ personId: t.personId, kind: "printed", presence: "unconfirmed" });
  return rows;
}
