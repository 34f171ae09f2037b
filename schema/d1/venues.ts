import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const VENUE_CATEGORIES = [
  "school",
  "hospital",
  "market",
  "station",
  "airport",
  "care_home",
  "office",
  "other",
] as const;

/** A place where people check in. Device keys live in `api_keys` (kind "device", owner = venueId). */
export const venues = sqliteTable(
  "venues",
  {
    venueId: text("venue_id").primaryKey(),
    /** The account that registered the venue and may edit it, manage its keys and read its statistics. */
    ownerAccountId: text("owner_account_id").notNull(),
    name: text("name").notNull(),
    category: text("category", { enum: VENUE_CATEGORIES }).notNull(),
    address: text("address").notNull(),
    /** GB/T 2260 code; a district risk area covers every venue whose code lies inside it. */
    districtCode: text("district_code").notNull(),
    lat: real("lat"),
    lon: real("lon"),
    /**
     * Generation of the printed place code. Bumping it invalidates every printed poster at once,
     * so a venue whose poster was photographed and forwarded can replace it.
     */
    placeCodeGen: integer("place_code_gen").notNull().default(1),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** Closed venues take no check-ins; their past check-ins still count for exposure. */
    closedAt: text("closed_at"),
  },
  (t) => [index("venues_owner").on(t.ownerAccountId), index("venues_district").on(t.districtCode)],
);

export type VenueRow = typeof venues.$inferSelect;
