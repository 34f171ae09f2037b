import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A venue is run by whoever registers it; the authority verifies it before it may name identities. */
export const VENUE_STATUSES = ["unverified", "verified"] as const;

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
    /**
     * Unverified venues take ordinary check-ins, but staff look-ups and identified manual entries need
     * a verified one, and district designations cover verified venues only (workers/venues/verification.ts).
     */
    status: text("status", { enum: VENUE_STATUSES }).notNull().default("unverified"),
    /** GB 32100-2015 unified social credit code the registrant gave (check character validated), to help the authority decide. */
    creditCode: text("credit_code"),
    verifiedAt: text("verified_at"),
    /** The authority account (`issuer|subject`) that verified it. */
    verifiedBy: text("verified_by"),
  },
  (t) => [
    index("venues_owner").on(t.ownerAccountId),
    index("venues_district").on(t.districtCode),
    index("venues_status").on(t.status, t.createdAt),
  ],
);

export type VenueRow = typeof venues.$inferSelect;
