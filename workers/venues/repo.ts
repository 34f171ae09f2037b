import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../../schema/d1/keys";
import { type VenueRow, venues } from "../../schema/d1/venues";
import { hashKey } from "../auth/api-keys";
import { randomId, randomKey } from "../auth/hashing";
import { forgetVenue } from "./directory";
import { MAX_DEVICE_KEYS_PER_VENUE, MAX_VENUES_PER_ACCOUNT } from "./limits";

const db = (env: Env) => drizzle(env.DB);

/**
 * Registers the venue unless its account already holds MAX_VENUES_PER_ACCOUNT (closed ones count).
 * One statement, so concurrent registrations cannot pass the cap together. False when refused.
 */
export async function insertVenue(env: Env, row: VenueRow): Promise<boolean> {
  const res = await env.DB.prepare(
    `INSERT INTO venues (venue_id, owner_account_id, name, category, address, district_code, lat, lon,
       place_code_gen, created_at, updated_at, closed_at, status, credit_code, verified_at, verified_by)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16
     WHERE (SELECT COUNT(*) FROM venues WHERE owner_account_id = ?2) < ?17`,
  )
    .bind(
      row.venueId,
      row.ownerAccountId,
      row.name,
      row.category,
      row.address,
      row.districtCode,
      row.lat,
      row.lon,
      row.placeCodeGen,
      row.createdAt,
      row.updatedAt,
      row.closedAt,
      row.status,
      row.creditCode,
      row.verifiedAt,
      row.verifiedBy,
      MAX_VENUES_PER_ACCOUNT,
    )
    .run();
  return res.meta.changes > 0;
}

/**
 * A device key for the venue unless it already holds MAX_DEVICE_KEYS_PER_VENUE live ones; the plain
 * key is returned once and only its hash is stored (as `issueKey`). Null when refused.
 */
export async function issueDeviceKey(
  env: Env,
  venueId: string,
  label: string | null,
): Promise<{ keyId: string; key: string } | null> {
  const key = randomKey("dev");
  const keyId = randomId("key");
  const res = await env.DB.prepare(
    `INSERT INTO api_keys (key_id, kind, owner_id, key_hash, label, created_at)
     SELECT ?1, 'device', ?2, ?3, ?4, ?5
     WHERE (SELECT COUNT(*) FROM api_keys WHERE owner_id = ?2 AND kind = 'device' AND revoked_at IS NULL) < ?6`,
  )
    .bind(keyId, venueId, await hashKey(key), label, new Date().toISOString(), MAX_DEVICE_KEYS_PER_VENUE)
    .run();
  return res.meta.changes > 0 ? { keyId, key } : null;
}

/** Venues by verification status, oldest first (the authority works the queue from the longest waiting). */
export async function venuesByStatus(
  env: Env,
  status: VenueRow["status"] | undefined,
  limit: number,
  after?: { at: string; id: string },
): Promise<VenueRow[]> {
  const conditions = [
    status ? eq(venues.status, status) : undefined,
    after
      ? or(
          sql`${venues.createdAt} > ${after.at}`,
          and(eq(venues.createdAt, after.at), sql`${venues.venueId} > ${after.id}`),
        )
      : undefined,
  ].filter((c) => c !== undefined);
  return db(env)
    .select()
    .from(venues)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(venues.createdAt), asc(venues.venueId))
    .limit(limit)
    .all();
}

/** Marks a venue verified; undefined when it was already verified (the first verification stands). */
export async function markVerified(env: Env, venueId: string, at: string, by: string) {
  const row = await db(env)
    .update(venues)
    .set({ status: "verified", verifiedAt: at, verifiedBy: by, updatedAt: at })
    .where(and(eq(venues.venueId, venueId), eq(venues.status, "unverified")))
    .returning()
    .get();
  forgetVenue(env, venueId);
  return row;
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
  const row = await db(env).update(venues).set(patch).where(eq(venues.venueId, venueId)).returning().get();
  forgetVenue(env, venueId);
  return row;
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

/** Counts one action of the scope (rate-limit.ts) in this hour and returns the new count, atomically. */
export async function countInHour(env: Env, scope: string, hour: string): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO lookup_counters (key_id, hour, count) VALUES (?1, ?2, 1)
     ON CONFLICT (key_id, hour) DO UPDATE SET count = count + 1 RETURNING count`,
  )
    .bind(scope, hour)
    .first<{ count: number }>();
  return row?.count ?? 1;
}

export async function deleteOldLookupCounters(env: Env, beforeHour: string): Promise<void> {
  await env.DB.prepare("DELETE FROM lookup_counters WHERE hour < ?1").bind(beforeHour).run();
}
