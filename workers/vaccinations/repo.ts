import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  type VaccinationRecordRow,
  type VaccinationSiteRow,
  vaccinationRecords,
  vaccinationSites,
} from "../../schema/d1/vaccinations";
import { chunk, D1_MAX_PARAMS } from "../lib/chunk";
import { directoryLookups } from "../persons/repo";

const db = (env: Env) => drizzle(env.DB);
/** D1 binds at most 100 parameters a statement. */

export function insertSiteStatement(env: Env, row: VaccinationSiteRow) {
  return db(env).insert(vaccinationSites).values(row);
}

/** The site's record ids among `recordIds` that are already stored. */
export async function knownRecordIds(
  env: Env,
  siteId: string,
  recordIds: readonly string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (const part of chunk(recordIds, D1_MAX_PARAMS - 1)) {
    const rows = await db(env)
      .select({ recordId: vaccinationRecords.recordId })
      .from(vaccinationRecords)
      .where(and(eq(vaccinationRecords.siteId, siteId), inArray(vaccinationRecords.recordId, part)))
      .all();
    for (const r of rows) known.add(r.recordId);
  }
  return known;
}

/**
 * Multi-row inserts (as many rows as the parameter limit allows) in one batch; a replay inserts
 * nothing. The same batch (one transaction) then reads which of the rows' persons are in the
 * directory, after the insert: see `applyLabResults` for why that order loses no record.
 */
export async function storeRecords(env: Env, rows: readonly VaccinationRecordRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const perStatement = Math.floor(D1_MAX_PARAMS / 7);
  const inserts = chunk(rows, perStatement).map((part) =>
    db(env).insert(vaccinationRecords).values(part).onConflictDoNothing(),
  );
  const lookups = directoryLookups(
    env,
    rows.map((r) => r.personId),
  );
  const out = await db(env).batch([...inserts, ...lookups] as unknown as [
    (typeof inserts)[number],
    ...(typeof inserts)[number][],
  ]);
  const found = (out.slice(inserts.length) as unknown as { personId: string }[][]).flat();
  return new Set(found.map((r) => r.personId));
}

export async function siteNames(env: Env, siteIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const part of chunk([...new Set(siteIds)], D1_MAX_PARAMS - 1)) {
    const rows = await db(env)
      .select({ siteId: vaccinationSites.siteId, name: vaccinationSites.name })
      .from(vaccinationSites)
      .where(inArray(vaccinationSites.siteId, part))
      .all();
    for (const r of rows) names.set(r.siteId, r.name);
  }
  return names;
}
