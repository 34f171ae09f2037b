import { config } from "../config";
import { deleteInBatches, ROWS_PER_DELETE } from "../lib/bounded-delete";
import { log } from "../lib/log";
import { allShards } from "../lib/shards";
import type { Job } from "../scheduled/job";

// The audit windows (workers/audit/log.ts says which row goes where): `person_audit` on every shard
// keeps AUDIT_RETENTION_DAYS, the registry's `audit_log` REGISTRY_AUDIT_RETENTION_DAYS. Deleted in
// bounded batches by the `at` index, every shard at once; a backlog drains over the next runs (every
// 15 minutes). At 2 M look-ups a day over 64 shards a shard gains ~330 rows a run, far below the bound.

const DAY_MS = 86_400_000;
const deleteOld = (table: "person_audit" | "audit_log") =>
  `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE at < ?1 ORDER BY at LIMIT ${ROWS_PER_DELETE})`;

const sweep = (db: D1Database, table: "person_audit" | "audit_log", before: string) =>
  deleteInBatches(db, deleteOld(table), before);

export function auditCutoffs(
  now: Date,
  settings: { auditRetentionDays: number; registryAuditRetentionDays: number },
) {
  return {
    personBefore: new Date(now.getTime() - settings.auditRetentionDays * DAY_MS).toISOString(),
    registryBefore: new Date(now.getTime() - settings.registryAuditRetentionDays * DAY_MS).toISOString(),
  };
}

/** Deletes one run's share of expired audit rows; the counts deleted. */
export async function sweepAudit(env: Env, now: Date): Promise<{ personAudit: number; auditLog: number }> {
  const c = auditCutoffs(now, config(env));
  const [shards, registry] = await Promise.all([
    allShards(env, (db) => sweep(db, "person_audit", c.personBefore)),
    sweep(env.DB, "audit_log", c.registryBefore),
  ]);
  return { personAudit: shards.reduce((a, n) => a + n, 0), auditLog: registry };
}

export const auditRetentionJob: Job = {
  name: "audit-retention",
  async run(env, now) {
    const deleted = await sweepAudit(env, now);
    if (deleted.personAudit + deleted.auditLog > 0) log("info", "audit retention", deleted);
  },
};
