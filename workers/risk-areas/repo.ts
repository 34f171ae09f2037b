import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CheckInKind, Presence } from "../../schema/d1/checkins";
import { type RiskAreaRow, riskAreas } from "../../schema/d1/risk-areas";
import { chunk } from "../lib/chunk";
import { CONFIRMED_PRESENCES, type UnconfirmedCause } from "../venues/presence";

const db = (env: Env) => drizzle(env.DB);

/**
 * Which venues a designation covers: named ids (json_each keeps it to one bound parameter, any
 * status) or the verified venues of a district. Anyone can register a venue anywhere, so a district
 * designation must not reach the visitors an unverified venue claims to have had.
 */
const COVER =
  "(venue_id IN (SELECT value FROM json_each(?1)) OR (?2 IS NOT NULL AND district_code LIKE ?2 AND status = 'verified'))";

/** SQL list of the confirmed presences (constants, not input). */
const CONFIRMED_SQL = CONFIRMED_PRESENCES.map((p) => `'${p}'`).join(", ");

export interface Coverage {
  venueIdsJson: string;
  districtLike: string | null;
  from: string;
  to: string;
}

export interface CoverageCounts {
  persons: number;
  venues: number;
  /** Persons there only through unconfirmed visits, and by cause (workers/venues/presence.ts `tallyAffected`). */
  unconfirmedOnly: number;
  byCause: Record<UnconfirmedCause, number>;
}

/**
 * `tallyAffected` of the (non-voided) check-ins in the window at covered venues, computed by D1 over
 * the (venue_id, checked_in_at) index so that the rows never travel to the Worker: one group per
 * person, then counts. The same definitions as the pure function (tests/unit/venues/presence.test.ts
 * and the dry-run route tests hold them together).
 */
export async function coverageCounts(env: Env, c: Coverage): Promise<CoverageCounts> {
  const counted = await env.DB.prepare(
    `WITH per_person AS (
       SELECT person_id,
              MAX(presence IN (${CONFIRMED_SQL})) AS confirmed,
              MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind = 'manual') AS manual,
              MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind = 'scan') AS scan,
              MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind NOT IN ('manual', 'scan')) AS other
       FROM checkins
       WHERE venue_id IN (SELECT venue_id FROM venues WHERE ${COVER})
         AND checked_in_at >= ?3 AND checked_in_at <= ?4 AND voided_at IS NULL
       GROUP BY person_id)
     SELECT COUNT(*) AS persons,
       COALESCE(SUM(confirmed = 0), 0) AS unconfirmed_only,
       COALESCE(SUM(confirmed = 0 AND manual = 1), 0) AS manual_entry,
       COALESCE(SUM(confirmed = 0 AND scan = 1), 0) AS older_scan,
       COALESCE(SUM(confirmed = 0 AND other = 1), 0) AS unconfirmed_check_in,
       (SELECT COUNT(*) FROM venues WHERE ${COVER}) AS venues
     FROM per_person`,
  )
    .bind(c.venueIdsJson, c.districtLike, c.from, c.to)
    .first<Record<string, number>>();
  return {
    persons: counted?.persons ?? 0,
    venues: counted?.venues ?? 0,
    unconfirmedOnly: counted?.unconfirmed_only ?? 0,
    byCause: {
      manual_entry: counted?.manual_entry ?? 0,
      older_scan: counted?.older_scan ?? 0,
      unconfirmed_check_in: counted?.unconfirmed_check_in ?? 0,
    },
  };
}

export async function existingVenueIds(env: Env, ids: string[]): Promise<Set<string>> {
  const { results } = await env.DB.prepare(
    "SELECT venue_id FROM venues WHERE venue_id IN (SELECT value FROM json_each(?1))",
  )
    .bind(JSON.stringify(ids))
    .all<{ venue_id: string }>();
  return new Set(results.map((r) => r.venue_id));
}

/** The designation and its venue set in one batch: either both exist or neither. */
export async function insertRiskArea(env: Env, row: RiskAreaRow, c: Coverage): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO risk_areas (risk_area_id, level, district_code, venue_ids, "from", "to", reason, created_by, created_at, affected_persons, exclude_unconfirmed)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    ).bind(
      row.riskAreaId,
      row.level,
      row.districtCode,
      row.venueIds,
      row.from,
      row.to,
      row.reason,
      row.createdBy,
      row.createdAt,
      row.affectedPersons,
      row.excludeUnconfirmed ? 1 : 0,
    ),
    env.DB.prepare(
      `INSERT INTO risk_area_venues (risk_area_id, venue_id) SELECT ?3, venue_id FROM venues WHERE ${COVER}`,
    ).bind(c.venueIdsJson, c.districtLike, row.riskAreaId),
  ]);
}

export async function findRiskArea(env: Env, riskAreaId: string): Promise<RiskAreaRow | undefined> {
  return db(env).select().from(riskAreas).where(eq(riskAreas.riskAreaId, riskAreaId)).get();
}

/** Marks a designation lifted; undefined when it does not exist or was already lifted. */
export async function markLifted(env: Env, riskAreaId: string, at: string, by: string, reason: string) {
  return db(env)
    .update(riskAreas)
    .set({ liftedAt: at, liftedBy: by, liftReason: reason })
    .where(and(eq(riskAreas.riskAreaId, riskAreaId), isNull(riskAreas.liftedAt)))
    .returning()
    .get();
}

export async function riskAreasInForce(env: Env): Promise<RiskAreaRow[]> {
  return db(env)
    .select()
    .from(riskAreas)
    .where(isNull(riskAreas.liftedAt))
    .orderBy(riskAreas.createdAt)
    .all();
}

/** Up to `limit` covered venues with names, and how many there are in all. */
export async function coveredVenues(env: Env, riskAreaId: string, limit: number) {
  const [list, count] = await env.DB.batch<{
    venue_id: string;
    name: string;
    district_code: string;
    n: number;
  }>([
    env.DB.prepare(
      `SELECT v.venue_id, v.name, v.district_code FROM risk_area_venues rv JOIN venues v ON v.venue_id = rv.venue_id
       WHERE rv.risk_area_id = ?1 ORDER BY v.name LIMIT ?2`,
    ).bind(riskAreaId, limit),
    env.DB.prepare("SELECT COUNT(*) AS n FROM risk_area_venues WHERE risk_area_id = ?1").bind(riskAreaId),
  ]);
  return { venues: list?.results ?? [], count: count?.results[0]?.n ?? 0 };
}

export async function nextCoveredVenue(env: Env, riskAreaId: string, after: string): Promise<string | null> {
  const row = await env.DB.prepare(
    "SELECT venue_id FROM risk_area_venues WHERE risk_area_id = ?1 AND venue_id > ?2 ORDER BY venue_id LIMIT 1",
  )
    .bind(riskAreaId, after)
    .first<{ venue_id: string }>();
  return row?.venue_id ?? null;
}

export interface Visit {
  checkInId: string;
  personId: string;
  venueId: string;
  /** As it was at the visit. */
  venueName: string;
  visitedAt: string;
  presence?: Presence;
  kind?: CheckInKind;
}

/**
 * One page of a venue's check-ins in the window, keyset-paginated by (checked_in_at, check_in_id).
 * Voided visits are skipped, and unconfirmed ones when the designation excludes them (the rule of
 * `visitExposes`, applied in SQL so the pages stay full).
 */
export async function visitsPage(
  env: Env,
  venueId: string,
  window: { from: string; to: string; excludeUnconfirmed?: boolean },
  after: { at: string; id: string } | null,
  limit: number,
): Promise<Visit[]> {
  const { results } = await env.DB.prepare(
    `SELECT c.check_in_id, c.person_id, c.venue_id, c.checked_in_at, c.presence, c.kind,
            COALESCE(c.venue_name, v.name) AS name
     FROM checkins c JOIN venues v ON v.venue_id = c.venue_id
     WHERE c.venue_id = ?1 AND c.checked_in_at >= ?2 AND c.checked_in_at <= ?3
       AND (c.checked_in_at > ?4 OR (c.checked_in_at = ?4 AND c.check_in_id > ?5))
       AND c.voided_at IS NULL AND (?7 = 0 OR c.presence IN (${CONFIRMED_SQL}))
     ORDER BY c.checked_in_at, c.check_in_id LIMIT ?6`,
  )
    .bind(
      venueId,
      window.from,
      window.to,
      after?.at ?? "",
      after?.id ?? "",
      limit,
      window.excludeUnconfirmed ? 1 : 0,
    )
    .all<{
      check_in_id: string;
      person_id: string;
      venue_id: string;
      checked_in_at: string;
      name: string;
      presence: Presence;
      kind: CheckInKind;
    }>();
  return results.map((r) => ({
    checkInId: r.check_in_id,
    personId: r.person_id,
    venueId: r.venue_id,
    venueName: r.name,
    visitedAt: r.checked_in_at,
    presence: r.presence,
    kind: r.kind,
  }));
}

/** Remembers who got an exposure from a designation, so that lifting reaches them. */
export async function recordTouched(env: Env, riskAreaId: string, personIds: string[]): Promise<void> {
  const unique = [...new Set(personIds)];
  if (unique.length === 0) return;
  // 2 parameters a row, under D1's 100 bound parameters per statement.
  await env.DB.batch(
    chunk(unique, 45).map((ids) =>
      env.DB.prepare(
        `INSERT INTO risk_area_persons (risk_area_id, person_id) VALUES ${ids.map(() => "(?, ?)").join(", ")} ON CONFLICT DO NOTHING`,
      ).bind(...ids.flatMap((id) => [riskAreaId, id])),
    ),
  );
}

export async function touchedPage(
  env: Env,
  riskAreaId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT person_id FROM risk_area_persons WHERE risk_area_id = ?1 AND person_id > ?2 ORDER BY person_id LIMIT ?3",
  )
    .bind(riskAreaId, after, limit)
    .all<{ person_id: string }>();
  return results.map((r) => r.person_id);
}

export async function touchedCount(env: Env, riskAreaId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM risk_area_persons WHERE risk_area_id = ?1")
    .bind(riskAreaId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Ids of the open designations covering a visit to `venueId` at `at` with this presence (a
 * designation that excludes unconfirmed visits does not take an unconfirmed one), as a statement, so
 * a check-in can run it in the same `batch()` as its insert: the batch runs in order in one
 * transaction, so either this sees a designation or that designation's fan-out sees the visit.
 */
export function coveringVisitStatement(
  env: Env,
  venueId: string,
  at: string,
  presence: Presence,
): D1PreparedStatement {
  return env.DB.prepare(
    `SELECT r.risk_area_id FROM risk_area_venues rv JOIN risk_areas r ON r.risk_area_id = rv.risk_area_id
     WHERE rv.venue_id = ?1 AND r.lifted_at IS NULL AND r."from" <= ?2 AND r."to" >= ?2
       AND (r.exclude_unconfirmed = 0 OR ?3 IN (${CONFIRMED_SQL}))`,
  ).bind(venueId, at, presence);
}

export async function riskAreasByIds(env: Env, ids: string[]): Promise<RiskAreaRow[]> {
  const rows = await Promise.all(ids.map((id) => findRiskArea(env, id)));
  return rows.filter((r): r is RiskAreaRow => r !== undefined);
}

export async function areasCoveringVisit(
  env: Env,
  venueId: string,
  at: string,
  presence: Presence,
): Promise<RiskAreaRow[]> {
  const { results } = await coveringVisitStatement(env, venueId, at, presence).all<{
    risk_area_id: string;
  }>();
  return riskAreasByIds(
    env,
    results.map((r) => r.risk_area_id),
  );
}
