import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { persons } from "../../schema/d1/persons";
import { type VaccinationSiteRow, vaccinationSites } from "../../schema/d1/vaccination-sites";
import { type VaccinationRecordRow, vaccinationRecords } from "../../schema/d1/vaccinations";
import { chunk, D1_MAX_PARAMS } from "../lib/chunk";
import { groupByShard } from "../lib/shards";

/** Sites are registry rows; records live on their person's shard. */
const db = (env: Env) => drizzle(env.DB);

export function insertSiteStatement(env: Env, row: VaccinationSiteRow) {
  return db(env).insert(vaccinationSites).values(row);
}

/** The site's records among `records` that are already stored, each looked up on its person's shard. */
export async function knownRecordIds(
  env: Env,
  siteId: string,
  records: readonly { personId: string; recordId: string }[],
): Promise<Set<string>> {
  const found = await Promise.all(
    [...groupByShard(env, records, (r) => r.personId)].flatMap(([shard, part]) =>
      chunk(
        part.map((r) => r.recordId),
        D1_MAX_PARAMS - 1,
      ).map((ids) =>
        drizzle(shard)
          .select({ recordId: vaccinationRecords.recordId })
          .from(vaccinationRecords)
          .where(and(eq(vaccinationRecords.siteId, siteId), inArray(vaccinationRecords.recordId, ids)))
          .all(),
      ),
    ),
  );
  return new Set(found.flat().map((r) => r.recordId));
}

/**
 * Per shard, multi-row inserts (as many rows as the parameter limit allows) in one batch; a replay
 * inserts nothing. The same batch (one transaction on the shard, which also holds these persons'
 * directory rows) then reads which of the rows' persons are in the directory, after the insert: see
 * `applyLabResults` for why that order loses no record.
 */
export async function storeRecords(env: Env, rows: readonly VaccinationRecordRow[]): Promise<Set<string>> {
  const parts = await Promise.all(
    [...groupByShard(env, rows, (r) => r.personId)].map(([shard, part]) =>
      storeOnShard(drizzle(shard), part),
    ),
  );
  return new Set(parts.flatMap((p) => [...p]));
}

async function storeOnShard(d: ReturnType<typeof drizzle>, rows: readonly VaccinationRecordRow[]) {
  const perStatement = Math.floor(D1_MAX_PARAMS / 7);
  const inserts = chunk(rows, perStatement).map((part) =>
    d.insert(vaccinationRecords).values(part).onConflictDoNothing(),
  );
  const ids = [...new Set(rows.map((r) => r.personId))];
  const lookups = chunk(ids, D1_MAX_PARAMS - 1).map((part) =>
    d.select({ personId: persons.personId }).from(persons).where(inArray(persons.personId, part)),
  );
  const out = await d.batch([...inserts, ...lookups] as unknown as [
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
