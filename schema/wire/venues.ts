import { z } from "@hono/zod-openapi";
import { CHECKIN_KINDS, PRESENCES } from "../checkins";
import { VENUE_CATEGORIES, VENUE_STATUSES } from "../d1/venues";
import {
  ColorSchema,
  CursorQuery,
  IdNumberSchema,
  IdTypeSchema,
  IsoTimeSchema,
  KeySummarySchema,
  PersonNameSchema,
  PhoneSchema,
  pathParam,
} from "./common";
import { RefusedCodeSchema, VERIFY_FAILURES, VerifiedCodeSchema } from "./verify";

export const PresenceSchema = z.enum(PRESENCES).openapi("Presence", {
  description:
    "How presence at the venue was shown: `location` (device inside the radius), `rotating_code` (the venue's on-screen code), " +
    "`staff_scan` (a live code issued within the last minute), or `unconfirmed` (printed poster without location, manual entry, " +
    "paper or older code). Designations can leave unconfirmed visits out.",
});

export const LocationSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .openapi("Location");

const VenueFields = {
  name: z.string().trim().min(1).max(100),
  category: z.enum(VENUE_CATEGORIES),
  address: z.string().trim().min(1).max(300),
  districtCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 district code"),
  location: LocationSchema.optional(),
};

export const CreateVenueBody = z
  .object({
    ...VenueFields,
    creditCode: z.string().max(32).optional().openapi({
      description:
        "The organisation's unified social credit code (GB 32100-2015, 18 characters, check character validated), to help the authority verify the venue",
      example: "91350100M000100Y43",
    }),
  })
  .openapi("CreateVenue");

export const UpdateVenueBody = z
  .object({
    name: VenueFields.name.optional(),
    category: VenueFields.category.optional(),
    address: VenueFields.address.optional(),
    districtCode: VenueFields.districtCode.optional(),
    location: LocationSchema.nullable().optional(),
    /** Voids every printed poster (e.g. one was photographed and forwarded): print the new one. */
    renewPlaceCode: z.boolean().optional(),
    closed: z.boolean().optional().openapi({ description: "true closes the venue (no more check-ins)" }),
  })
  .openapi("UpdateVenue");

export const VenueIdParam = z.object({
  venueId: z
    .string()
    .regex(/^ven_[A-Za-z0-9_-]{8,40}$/, "a venue id")
    .openapi({ param: { name: "venueId", in: "path" }, example: "ven_q3Jd8s0aQ2W1bX9c" }),
});

export const VenueSchema = z
  .object({
    venueId: z.string(),
    name: z.string(),
    category: z.enum(VENUE_CATEGORIES),
    address: z.string(),
    districtCode: z.string(),
    location: LocationSchema.nullable(),
    createdAt: IsoTimeSchema,
    closedAt: IsoTimeSchema.nullable(),
    posterUrl: z.string(),
    status: z.enum(VENUE_STATUSES).openapi({
      description:
        "`unverified` until the authority verifies it: check-ins work, but staff look-ups and identified manual entries need a verified venue",
    }),
    creditCode: z.string().nullable(),
    verifiedAt: IsoTimeSchema.nullable(),
  })
  .openapi("Venue");

export const CreatedVenueSchema = z
  .object({
    venueId: z.string(),
    placeCode: z.string().openapi({
      description:
        "Printed place code, compact: `{venue}~{generation}~{96-bit MAC}` (posters printed earlier hold a compact JWS, typ place+jwt, and keep working until the venue renews its code)",
    }),
    checkInUrl: z
      .string()
      .openapi({ description: "What the poster's QR encodes: https://<service>/c/{placeCode}" }),
    deviceKey: z.string().openapi({ description: "Shown once; only its hash is stored" }),
    deviceKeyId: z.string(),
  })
  .openapi("CreatedVenue");

export const VenueListSchema = z.object({ venues: z.array(VenueSchema) }).openapi("VenueList");

export const DeviceKeyBody = z
  .object({ label: z.string().trim().min(1).max(64).optional() })
  .openapi("CreateDeviceKey");
export const CreatedDeviceKeySchema = z
  .object({ keyId: z.string(), deviceKey: z.string().openapi({ description: "Shown once" }) })
  .openapi("CreatedDeviceKey");
export const DeviceKeyListSchema = z
  .object({
    keys: z.array(KeySummarySchema),
  })
  .openapi("DeviceKeyList");
export const KeyIdParam = z.object({ keyId: pathParam("keyId") });

export const RotatingCodeSchema = z
  .object({
    placeCode: z.string(),
    checkInUrl: z.string(),
    kind: z.literal("rotating"),
    expiresAt: IsoTimeSchema,
    ttlSeconds: z.number().int(),
    qrSvg: z.string(),
  })
  .openapi("RotatingPlaceCode");

export const CheckInBody = z
  .object({
    placeCode: z.string().min(1).max(2048),
    personId: z.string().min(1).max(64),
    location: LocationSchema.optional(),
  })
  .openapi("CheckIn");

export const CheckInResultSchema = z
  .object({
    checkInId: z.string(),
    venueId: z.string(),
    venueName: z.string(),
    color: ColorSchema,
    checkedInAt: IsoTimeSchema,
    kind: z.enum(CHECKIN_KINDS),
    presence: PresenceSchema,
    distanceM: z.number().int().nullable(),
  })
  .openapi("CheckInResult");

export const PersonCheckInsSchema = z
  .object({
    checkins: z.array(
      z.object({
        checkInId: z.string(),
        venueId: z.string(),
        venueName: z.string().nullable().openapi({ description: "The venue's name at the visit" }),
        kind: z.enum(CHECKIN_KINDS),
        presence: PresenceSchema,
        checkedInAt: IsoTimeSchema,
        voidedAt: IsoTimeSchema.nullable().openapi({
          description:
            "Set when an appeal against this check-in was upheld: it no longer counts for exposure",
        }),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .openapi("PersonCheckIns");

export { CursorQuery } from "./common";

export const ScanBody = z.object({ token: z.string().min(1).max(16_384) }).openapi("VenueScan");

export const EntryVerdict = z.enum(["pass", "restricted", "deny"]).openapi("EntryVerdict");

export const ScanResultSchema = z
  .union([
    VerifiedCodeSchema.omit({ issuerName: true, keysStale: true }).extend({
      maskedName: z.string().nullable(),
      entry: EntryVerdict,
      checkInId: z.string(),
      presence: PresenceSchema,
    }),
    RefusedCodeSchema.omit({ keysStale: true }).extend({
      reason: z.enum([...VERIFY_FAILURES, "used_elsewhere"]).openapi({
        description:
          "`used_elsewhere`: this live code was already scanned at another venue (a replay); the person refreshes their code",
      }),
      entry: z.literal("deny"),
    }),
  ])
  .openapi("VenueScanResult");

export const LookupBody = z
  .object({
    idType: IdTypeSchema,
    idNumber: IdNumberSchema,
    name: PersonNameSchema,
    nationality: z.string().optional(),
  })
  .openapi("VenueLookup");

export const LookupResultSchema = z
  .object({ color: ColorSchema, maskedName: z.string(), entry: EntryVerdict })
  .openapi("VenueLookupResult");

export const ManualEntryBody = z
  .object({
    name: PersonNameSchema,
    phone: PhoneSchema,
    idType: IdTypeSchema.optional(),
    idNumber: IdNumberSchema.optional(),
    nationality: z.string().optional(),
  })
  .openapi("ManualEntry");

export const ManualEntryResultSchema = z
  .object({
    entryId: z.string(),
    enteredAt: IsoTimeSchema,
    maskedName: z.string(),
    identified: z
      .boolean()
      .openapi({ description: "true when an identity was given: the visit joins exposure matching" }),
  })
  .openapi("ManualEntryResult");

export const VenueStatsSchema = z
  .object({
    venueId: z.string(),
    since: IsoTimeSchema,
    days: z.array(
      z.object({
        date: z.string().openapi({ description: "Local date (Asia/Shanghai), YYYY-MM-DD" }),
        checkIns: z.number().int(),
        colors: z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int() }),
        kinds: z.record(z.string(), z.number().int()),
      }),
    ),
  })
  .openapi("VenueStats");

export const AuthorityVenueListQuery = z.object({
  status: z
    .enum(VENUE_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" }, example: "unverified" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: "limit", in: "query" } }),
  ...CursorQuery.shape,
});

export const AuthorityVenueSchema = VenueSchema.extend({
  verifiedBy: z.string().nullable(),
}).openapi("AuthorityVenue");

export const AuthorityVenueListSchema = z
  .object({ venues: z.array(AuthorityVenueSchema), nextCursor: z.string().optional() })
  .openapi("AuthorityVenueList");

export const VerifyVenueBody = z
  .object({ reason: z.string().trim().min(3).max(1000).optional() })
  .openapi("VerifyVenue");
