import { drizzle } from "drizzle-orm/d1";
import { auditLog } from "../../schema/d1/audit";
import { personAudit } from "../../schema/d1/person-audit";
import type { Caller } from "../auth/caller";
import { personDb } from "../lib/shards";

// Two places, two windows (workers/audit/retention.ts): authority actions and everything not about one
// person go to the registry's `audit_log` (REGISTRY_AUDIT_RETENTION_DAYS: evidence of what the
// authority did); rows about one person by a person, a venue device or the system go to that person's
// shard (`person_audit`, AUDIT_RETENTION_DAYS), where 2 M staff look-ups a day spread over the shards.

export interface AuditEntry {
  action: string;
  /** A person id, venue id, lab id… never an identity number. */
  target?: string | null;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

function actorOf(caller: Caller): { actorKind: string; actor: string } {
  return caller.kind === "person"
    ? { actorKind: caller.isAuthority ? "authority" : "person", actor: caller.actor }
    : { actorKind: caller.kind, actor: `${caller.ownerId}/${caller.keyId}` };
}

function rowOf(caller: Caller, entry: AuditEntry, requestId?: string) {
  return {
    at: new Date().toISOString(),
    ...actorOf(caller),
    action: entry.action,
    target: entry.target ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    requestId: requestId ?? null,
  };
}

/** Audit rows are written before the action's answer, so no audited action goes unrecorded. */
export function auditStatement(env: Env, caller: Caller, entry: AuditEntry, requestId?: string) {
  return drizzle(env.DB)
    .insert(auditLog)
    .values(rowOf(caller, entry, requestId));
}

export async function audit(env: Env, caller: Caller, entry: AuditEntry, requestId?: string): Promise<void> {
  await auditStatement(env, caller, entry, requestId);
}

/** Whether an action on one person is audited on that person's shard (not an authority's). */
export const auditsOnShard = (caller: Caller) => !(caller.kind === "person" && caller.isAuthority);

/**
 * An action on one person. A person's or device's row is a statement on that person's shard (batch it
 * only with that shard's statements); an authority's stays in the registry like every authority action.
 */
export function personAuditStatement(
  env: Env,
  caller: Caller,
  personId: string,
  entry: Omit<AuditEntry, "target">,
  requestId?: string,
) {
  const row = rowOf(caller, { ...entry, target: personId }, requestId);
  return auditsOnShard(caller)
    ? personDb(env, personId)
        .insert(personAudit)
        .values({ ...row, target: personId })
    : drizzle(env.DB).insert(auditLog).values(row);
}

export async function auditPerson(
  env: Env,
  caller: Caller,
  personId: string,
  entry: Omit<AuditEntry, "target">,
  requestId?: string,
): Promise<void> {
  await personAuditStatement(env, caller, personId, entry, requestId);
}
