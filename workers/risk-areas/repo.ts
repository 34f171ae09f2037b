import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type RiskAreaRow, riskAreas } from "../../schema/d1/risk-areas";

const db = (env: Env) => drizzle(env.DB);

/**
 * Which venues a designation covers: named ids (json_each keeps it to one bound parameter, any
 * status) or the verified venues of a district. Anyone can register a venue anywhere, so a district
 * designation must not reach the visitors an unverified venue claims to have had.
 */
const COVER =
  "(venue_id IN (SELECT value FROM json_each(?1)) OR (?2 IS NOT NULL AND district_code LIKE ?2 AND status = 'verified'))";

export interface Coverage {
  venueIdsJson: string;
  districtLike: string | null;
  from: string;
  to: string;
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

/** A page of the venues a designation covers (fixed when it was made), by venue id. */
export async function coveredVenuePage(
  env: Env,
  riskAreaId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT venue_id FROM risk_area_venues WHERE risk_area_id = ?1 AND venue_id > ?2 ORDER BY venue_id LIMIT ?3",
  )
    .bind(riskAreaId, after, limit)
    .all<{ venue_id: string }>();
  return results.map((r) => r.venue_id);
}

/** A page of the venues a coverage would cover now (before the designation exists: its dry run). */
export async function coveringVenuePage(
  env: Env,
  c: Coverage,
  after: string,
  limit: number,
): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT venue_id FROM venues WHERE ${COVER} AND venue_id > ?3 ORDER BY venue_id LIMIT ?4`,
  )
    .bind(c.venueIdsJson, c.districtLike, after, limit)
    .all<{ venue_id: string }>();
  return results.map((r) => r.venue_id);
}
