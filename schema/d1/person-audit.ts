import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Audit rows whose target is one person, written by a person, a venue device or the system (staff
 * look-ups, scan refusals, applications, manager changes, paper codes): on that person's shard, so
 * 2 M look-ups a day spread over the shards instead of filling the registry. Same columns as the
 * registry's `audit_log` (authority actions stay there); kept AUDIT_RETENTION_DAYS
 * (workers/audit/retention.ts).
 */
export const personAudit = sqliteTable(
  "person_audit",
  {
    id: integer("id").primaryKey(),
    at: text("at").notNull(),
    actorKind: text("actor_kind").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    reason: text("reason"),
    /** JSON; never an identity number, name or phone in clear. */
    detail: text("detail"),
    requestId: text("request_id"),
  },
  (t) => [index("person_audit_target_at").on(t.target, t.at), index("person_audit_at").on(t.at)],
);

export type PersonAuditRow = typeof personAudit.$inferSelect;
