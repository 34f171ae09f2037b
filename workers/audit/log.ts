import { drizzle } from "drizzle-orm/d1";
import { auditLog } from "../../schema/d1/audit";
import type { Caller } from "../auth/caller";

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

/** Audit rows are written before the action's answer, so no audited action goes unrecorded. */
export function auditStatement(env: Env, caller: Caller, entry: AuditEntry, requestId?: string) {
  return drizzle(env.DB)
    .insert(auditLog)
    .values({
      at: new Date().toISOString(),
      ...actorOf(caller),
      action: entry.action,
      target: entry.target ?? null,
      reason: entry.reason ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      requestId: requestId ?? null,
    });
}

export async function audit(env: Env, caller: Caller, entry: AuditEntry, requestId?: string): Promise<void> {
  await auditStatement(env, caller, entry, requestId);
}
