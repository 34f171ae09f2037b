import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COLORS } from "../vocabulary";

/** How a visit was recorded; kept so that exposure review can weigh a printed-code check-in. */
export const CHECKIN_KINDS = ["printed", "rotating", "scan", "manual"] as const;
export type CheckInKind = (typeof CHECKIN_KINDS)[number];

/**
 * How presence at the venue was shown (workers/venues/presence.ts): a device location inside the
 * radius, a rotating on-screen code, a staff scan of a live code issued within the last minute, or
 * nothing that proves the person was there (printed poster without location, manual entry, older code).
 */
export const PRESENCES = ["location", "rotating_code", "staff_scan", "unconfirmed"] as const;
export type Presence = (typeof PRESENCES)[number];

/**
 * One visit of a person to a venue. Only the opaque personId is stored. Rows older than
 * CHECKIN_RETENTION_DAYS are deleted by the retention job. Identified manual entries also get a
 * row here (kind "manual"), so exposure matching reads a single table.
 */
export const checkins = sqliteTable(
  "checkins",
  {
    checkInId: text("check_in_id").primaryKey(),
    venueId: text("venue_id").notNull(),
    personId: text("person_id").notNull(),
    kind: text("kind", { enum: CHECKIN_KINDS }).notNull(),
    checkedInAt: text("checked_in_at").notNull(),
    /** The person's colour at the moment of check-in, for the venue's statistics. */
    color: text("color", { enum: COLORS }),
    /** Metres between the device's reported location and the venue's, when both were known. */
    distanceM: integer("distance_m"),
    /** The device key that scanned or entered the visit (staff lanes). */
    deviceKeyId: text("device_key_id"),
    /** The manual entry this row stands for (kind "manual"). */
    entryId: text("entry_id"),
    presence: text("presence", { enum: PRESENCES }).notNull().default("unconfirmed"),
    /** The venue's name at the visit: renaming a venue changes no history. */
    venueName: text("venue_name"),
    /** `iat` of the live code a staff scan read: the same code scanned at another venue is a replay. */
    codeIat: integer("code_iat"),
    /** Set when an upheld appeal voided the visit: it no longer counts for exposure. */
    voidedAt: text("voided_at"),
  },
  (t) => [
    // Exposure fan-out pages through one venue's window by (checked_in_at, check_in_id).
    index("checkins_venue_at").on(t.venueId, t.checkedInAt, t.checkInId),
    index("checkins_person_at").on(t.personId, t.checkedInAt),
    index("checkins_at").on(t.checkedInAt),
  ],
);

/**
 * The no-code lane: a visitor recorded by hand. Name and phone are AES-GCM ciphertexts; an identity,
 * when given, is kept only as its personId (and then also as a check-in row for exposure).
 */
export const manualEntries = sqliteTable(
  "manual_entries",
  {
    entryId: text("entry_id").primaryKey(),
    venueId: text("venue_id").notNull(),
    deviceKeyId: text("device_key_id").notNull(),
    nameEnc: text("name_enc").notNull(),
    phoneEnc: text("phone_enc").notNull(),
    personId: text("person_id"),
    enteredAt: text("entered_at").notNull(),
  },
  (t) => [
    index("manual_entries_venue_at").on(t.venueId, t.enteredAt),
    index("manual_entries_at").on(t.enteredAt),
  ],
);

/**
 * Hourly counters, counted atomically by one upsert: `key_id` is a scope (`account:<id>` for the
 * look-ups of all an account's venues, `manual:<venueId>` for a venue's manual entries). Rows of past
 * hours are deleted by the retention job, so the table holds one hour of active scopes.
 */
export const lookupCounters = sqliteTable(
  "lookup_counters",
  {
    keyId: text("key_id").notNull(),
    /** Start of the hour, ISO 8601 UTC. */
    hour: text("hour").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.hour] })],
);

export type CheckInRow = typeof checkins.$inferSelect;
export type ManualEntryRow = typeof manualEntries.$inferSelect;
