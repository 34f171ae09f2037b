import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Every authority action and staff look-up, with who, what, on whom (person id only) and why. */
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
  (t) => [index("audit_actor_at").on(t.actor, t.at), index("audit_target").on(t.target)],
);

export type AuditRow = typeof auditLog.$inferSelect;
