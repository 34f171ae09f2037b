import { eq, like, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { directoryVersions, type TestingSiteRow, testingSites } from "../../schema/d1/testing-sites";
import type { OpeningHours } from "../../schema/opening-hours";
import type { Site } from "./search";

const DIRECTORY = "testing_sites";
const db = (env: Env) => drizzle(env.DB);

export function toSite(r: TestingSiteRow): Site {
  return {
    siteId: r.siteId,
    name: r.name,
    address: r.address,
    districtCode: r.districtCode,
    location: { lat: r.lat, lon: r.lon },
    openingHours: JSON.parse(r.openingHours) as OpeningHours,
    services: JSON.parse(r.services) as string[],
    free: r.free,
    ...(r.phone ? { phone: r.phone } : {}),
  };
}

export async function directoryVersion(env: Env): Promise<number> {
  const row = await db(env)
    .select()
    .from(directoryVersions)
    .where(eq(directoryVersions.directory, DIRECTORY))
    .get();
  return row?.version ?? 0;
}

/** Goes into the same batch as the change, so a cached answer can never outlive the data it shows. */
export function bumpVersionStatement(env: Env) {
  return db(env)
    .insert(directoryVersions)
    .values({ directory: DIRECTORY, version: 1 })
    .onConflictDoUpdate({
      target: directoryVersions.directory,
      set: { version: sql`${directoryVersions.version} + 1` },
    });
}

export function insertSiteStatement(env: Env, row: TestingSiteRow) {
  return db(env).insert(testingSites).values(row);
}

export function updateSiteStatement(env: Env, siteId: string, set: Partial<TestingSiteRow>) {
  return db(env).update(testingSites).set(set).where(eq(testingSites.siteId, siteId));
}

export function deleteSiteStatement(env: Env, siteId: string) {
  return db(env).delete(testingSites).where(eq(testingSites.siteId, siteId));
}

export async function findSite(env: Env, siteId: string): Promise<TestingSiteRow | undefined> {
  return db(env).select().from(testingSites).where(eq(testingSites.siteId, siteId)).get();
}

/**
 * The sites a search can match. GB/T 2260 codes nest by digit pairs, so the district filter is a
 * prefix that the index serves; the exact filtering and ordering happen in searchSites.
 */
export async function candidateSites(env: Env, districtCode?: string): Promise<Site[]> {
  const prefix = !districtCode
    ? undefined
    : districtCode.endsWith("0000")
      ? districtCode.slice(0, 2)
      : districtCode.endsWith("00")
        ? districtCode.slice(0, 4)
        : districtCode;
  const q = db(env).select().from(testingSites);
  const rows = prefix ? await q.where(like(testingSites.districtCode, `${prefix}%`)).all() : await q.all();
  return rows.map(toSite);
}
