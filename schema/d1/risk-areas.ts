import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A designation by the authority: venues (explicit or by district) and a visit window. */
export const riskAreas = sqliteTable(
  "risk_areas",
  {
    riskAreaId: text("risk_area_id").primaryKey(),
    level: text("level", { enum: ["high", "medium"] }).notNull(),
    districtCode: text("district_code"),
    /** JSON array of the venue ids named in the designation (district venues are in risk_area_venues). */
    venueIds: text("venue_ids"),
    from: text("from").notNull(),
    to: text("to").notNull(),
    reason: text("reason").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    /** Distinct persons with a check-in in the window when designated (what the breaker compared). */
    affectedPersons: integer("affected_persons").notNull(),
    /** Leaves out visits whose presence is unconfirmed (workers/venues/presence.ts), now and later. */
    excludeUnconfirmed: integer("exclude_unconfirmed", { mode: "boolean" }).notNull().default(false),
    liftedAt: text("lifted_at"),
    liftedBy: text("lifted_by"),
    liftReason: text("lift_reason"),
  },
  (t) => [index("risk_areas_lifted").on(t.liftedAt)],
);

/**
 * The venues a designation covers, fixed when it is made so that fan-out pages over a stable set
 * (directory-sized: a venue id per covered venue, not per visit). The persons a designation touched
 * are kept in those venues' objects (durable/venue.ts), not here.
 */
export const riskAreaVenues = sqliteTable(
  "risk_area_venues",
  {
    riskAreaId: text("risk_area_id").notNull(),
    venueId: text("venue_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.riskAreaId, t.venueId] })],
);

export type RiskAreaRow = typeof riskAreas.$inferSelect;
