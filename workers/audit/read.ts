import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AuditRow, auditLog } from "../../schema/d1/audit";
import { personAudit } from "../../schema/d1/person-audit";
import { personDb } from "../lib/shards";

/**
 * Everything audited about one person, oldest first: the rows on the person's shard (their own, their
 * managers', venue staff's, the system's) and the authority's in the registry. Two indexed reads.
 */
export async function auditOfPerson(env: Env, personId: string): Promise<AuditRow[]> {
  const [onShard, inRegistry] = await Promise.all([
    personDb(env, personId)
      .select()
      .from(personAudit)
      .where(eq(personAudit.target, personId))
      .orderBy(asc(personAudit.at)),
    drizzle(env.DB).select().from(auditLog).where(eq(auditLog.target, personId)).orderBy(asc(auditLog.at)),
  ]);
  return [...onShard, ...inRegistry].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
