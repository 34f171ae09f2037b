import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Authority actions and everything not about one person (venues, keys, refused look-ups without an
 * identity), with who, what, on whom (person id only) and why. Rows about one person by a person, a
 * device or the system live on that person's shard (`person_audit`). Kept REGISTRY_AUDIT_RETENTION_DAYS.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorKind: text("actor_kind").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    reason: text("reason"),
    /** JSON; never an identity number, name or phone in clear. */
    detail: text("detail"),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_actor_at").on(t.actor, t.at),
    index("audit_target").on(t.target),
    index("audit_at").on(t.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
