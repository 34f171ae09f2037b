// Audit rows live in two places (workers/audit/log.ts): the registry's `audit_log` and every shard's
// `person_audit`, with the same columns. Tests read both.
import { env } from "cloudflare:workers";
import { everyShard } from "./shards";

export interface AuditRowRaw {
  id: number;
  at: string;
  actor_kind: string;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  detail: string | null;
  request_id: string | null;
}

const byTime = (a: AuditRowRaw, b: AuditRowRaw) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id);

/** The registry's rows matching `where`, in order. */
export async function registryAudit(where: string, ...binds: unknown[]): Promise<AuditRowRaw[]> {
  const res = await env.DB.prepare(`SELECT * FROM audit_log WHERE ${where} ORDER BY id`)
    .bind(...binds)
    .all<AuditRowRaw>();
  return res.results;
}

/** Every shard's `person_audit` rows matching `where`, oldest first. */
export async function shardAudit(where: string, ...binds: unknown[]): Promise<AuditRowRaw[]> {
  return (await everyShard<AuditRowRaw>(`SELECT * FROM person_audit WHERE ${where}`, ...binds)).sort(byTime);
}

/** Both places' rows matching `where`, oldest first. */
export async function auditRows(where: string, ...binds: unknown[]): Promise<AuditRowRaw[]> {
  const [a, b] = await Promise.all([shardAudit(where, ...binds), registryAudit(where, ...binds)]);
  return [...a, ...b].sort(byTime);
}
