import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type CheckInRow, checkins, type ManualEntryRow, manualEntries } from "../../schema/d1/checkins";
import { apiKeys } from "../../schema/d1/keys";
import { type VenueRow, venues } from "../../schema/d1/venues";
import { coveringVisitStatement } from "../risk-areas/repo";

const db = (env: Env) => drizzle(env.DB);

export async function insertVenue(env: Env, row: VenueRow): Promise<void> {
  await db(env).insert(venues).values(row);
}

export async function findVenue(env: Env, venueId: string): Promise<VenueRow | undefined> {
  return db(env).select().from(venues).where(eq(venues.venueId, venueId)).get();
}

export async function ownedVenues(env: Env, accountId: string): Promise<VenueRow[]> {
  return db(env)
    .select()
    .from(venues)
    .where(eq(venues.ownerAccountId, accountId))
    .orderBy(venues.createdAt)
    .all();
}

export async function updateVenue(
  env: Env,
  venueId: string,
  patch: Partial<VenueRow>,
): Promise<VenueRow | undefined> {
  return db(env).update(venues).set(patch).where(eq(venues.venueId, venueId)).returning().get();
}

export async function deviceKeys(env: Env, venueId: string) {
  return db(env)
    .select({
      keyId: apiKeys.keyId,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerId, venueId), eq(apiKeys.kind, "device")))
    .orderBy(apiKeys.createdAt)
    .all();
}

export async function liveDeviceKeyIds(env: Env, venueId: string): Promise<string[]> {
  const rows = await db(env)
    .select({ keyId: apiKeys.keyId })
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerId, venueId), eq(apiKeys.kind, "device"), isNull(apiKeys.revokedAt)))
    .all();
  return rows.map((r) => r.keyId);
}

/**
 * Records a visit unless the same person already checked in at the same venue since `dedupeSince`
 * (or a row with this id exists, for an Idempotency-Key). One statement, so two concurrent retries
 * cannot both insert: D1 runs statements one at a time. The same `batch()` (one round trip, run in
 * order) reads the visit that stands when nothing was inserted, and the open risk areas covering the
 * visit, read after the insert (see `coveringVisitStatement`).
 */
export async function recordCheckIn(
  env: Env,
  row: CheckInRow,
  dedupeSince: string,
): Promise<{ row: CheckInRow; created: boolean; riskAreaIds: string[] }> {
  const [inserted, existing, areas] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare(
      `INSERT INTO checkins (check_in_id, venue_id, person_id, kind, checked_in_at, color, distance_m, device_key_id, entry_id)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
       WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE person_id = ?3 AND venue_id = ?2 AND checked_in_at > ?10)
       ON CONFLICT (check_in_id) DO NOTHING`,
    ).bind(
      row.checkInId,
      row.venueId,
      row.personId,
      row.kind,
      row.checkedInAt,
      row.color,
      row.distanceM,
      row.deviceKeyId,
      row.entryId,
      dedupeSince,
    ),
    env.DB.prepare(
      `SELECT ${CHECKIN_COLUMNS} FROM checkins
       WHERE check_in_id = ?1 OR (person_id = ?2 AND venue_id = ?3)
       ORDER BY checked_in_at DESC LIMIT 1`,
    ).bind(row.checkInId, row.personId, row.venueId),
    coveringVisitStatement(env, row.venueId, row.checkedInAt),
  ]);
  const riskAreaIds = (areas?.results ?? []).map((r) => String(r.risk_area_id));
  if ((inserted?.meta.changes ?? 0) > 0) return { row, created: true, riskAreaIds };
  const found = existing?.results[0] as unknown as CheckInRow | undefined;
  return { row: found ?? row, created: false, riskAreaIds };
}

/** The check-in columns under the row type's names, for raw statements. */
const CHECKIN_COLUMNS = [
  "check_in_id AS checkInId",
  "venue_id AS venueId",
  "person_id AS personId",
  "kind",
  "checked_in_at AS checkedInAt",
  "color",
  "distance_m AS distanceM",
  "device_key_id AS deviceKeyId",
  "entry_id AS entryId",
].join(", ");

/** A person's check-ins newest first, keyset-paginated by (checked_in_at, check_in_id). */
export async function personCheckIns(
  env: Env,
  personId: string,
  limit: number,
  before?: { at: string; id: string },
) {
  const where = before
    ? and(
        eq(checkins.personId, personId),
        or(
          lt(checkins.checkedInAt, before.at),
          and(eq(checkins.checkedInAt, before.at), lt(checkins.checkInId, before.id)),
        ),
      )
    : eq(checkins.personId, personId);
  return db(env)
    .select({
      checkInId: checkins.checkInId,
      venueId: checkins.venueId,
      venueName: venues.name,
      kind: checkins.kind,
      checkedInAt: checkins.checkedInAt,
      distanceM: checkins.distanceM,
    })
    .from(checkins)
    .leftJoin(venues, eq(venues.venueId, checkins.venueId))
    .where(where)
    .orderBy(desc(checkins.checkedInAt), desc(checkins.checkInId))
    .limit(limit)
    .all();
}

export async function insertManualEntry(env: Env, entry: ManualEntryRow): Promise<void> {
  await db(env).insert(manualEntries).values(entry).onConflictDoNothing();
}

/** Counts one look-up for the key in this hour and returns the new count, atomically. */
export async function countLookup(env: Env, keyId: string, hour: string): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO lookup_counters (key_id, hour, count) VALUES (?1, ?2, 1)
     ON CONFLICT (key_id, hour) DO UPDATE SET count = count + 1 RETURNING count`,
  )
    .bind(keyId, hour)
    .first<{ count: number }>();
  return row?.count ?? 1;
}

/** Check-ins per day (China local date) and the colours seen, for the owner: counts only. */
export async function venueDailyStats(env: Env, venueId: string, since: string) {
  const { results } = await env.DB.prepare(
    `SELECT date(checked_in_at, '+8 hours') AS day, kind, color, COUNT(*) AS n
     FROM checkins WHERE venue_id = ?1 AND checked_in_at >= ?2
     GROUP BY day, kind, color ORDER BY day`,
  )
    .bind(venueId, since)
    .all<{ day: string; kind: string; color: string | null; n: number }>();
  return results;
}

/**
 * Deletes rows older than `cutoff` in bounded batches (one D1 statement each), so a backlog never
 * turns into one long write that blocks the single-threaded database. Returns how many went.
 */
export async function deleteExpired(
  env: Env,
  cutoff: string,
  batchSize = 1000,
  maxBatches = 50,
): Promise<number> {
  const statements = [
    `DELETE FROM checkins WHERE rowid IN (SELECT rowid FROM checkins WHERE checked_in_at < ?1 LIMIT ?2)`,
    `DELETE FROM manual_entries WHERE rowid IN (SELECT rowid FROM manual_entries WHERE entered_at < ?1 LIMIT ?2)`,
  ];
  let total = 0;
  for (const sql of statements) {
    for (let i = 0; i < maxBatches; i++) {
      const res = await env.DB.prepare(sql).bind(cutoff, batchSize).run();
      total += res.meta.changes;
      if (res.meta.changes < batchSize) break;
    }
  }
  return total;
}

export async function deleteOldLookupCounters(env: Env, beforeHour: string): Promise<void> {
  await env.DB.prepare("DELETE FROM lookup_counters WHERE hour < ?1").bind(beforeHour).run();
}
