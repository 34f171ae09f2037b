import { z } from "@hono/zod-openapi";
import { ColorSchema, CursorQuery, IdTypeSchema, IsoTimeSchema, KeySummarySchema, pathParam } from "./common";

// Labs and their keys

export const CreateLabBody = z.object({ name: z.string().trim().min(1).max(128) }).openapi("CreateLab");

export const LabCreatedSchema = z
  .object({
    labId: z.string(),
    keyId: z.string(),
    labKey: z.string().openapi({ description: "Shown once; only its SHA-256 is stored" }),
  })
  .openapi("LabCreated");

export const LabKeyIssuedSchema = LabCreatedSchema.openapi("LabKeyIssued");

export const LabListSchema = z
  .object({
    labs: z.array(
      z.object({
        labId: z.string(),
        name: z.string(),
        createdAt: z.string(),
        keys: z.array(KeySummarySchema),
      }),
    ),
  })
  .openapi("LabList");

export const LabIdParam = z.object({ labId: pathParam("labId") });

export const LabKeyParams = LabIdParam.extend({
  keyId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "keyId", in: "path" } }),
});

// Authority events

export const AUTHORITY_EVENT_KINDS = ["confirmed", "close_contact", "secondary_contact", "released"] as const;

export const AuthorityEventBody = z
  .object({
    idType: IdTypeSchema,
    idNumber: z.string().min(1).max(32),
    nationality: z.string().max(3).optional(),
    kind: z.enum(AUTHORITY_EVENT_KINDS),
    occurredAt: IsoTimeSchema,
    reason: z
      .string()
      .trim()
      .min(1, "a reason is required; it is shown to the person")
      .max(500, "at most 500 characters"),
    eventId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, "1 to 64 letters, digits, '.', '_', ':' or '-'")
      .optional()
      .openapi({
        description: "Makes a retried request idempotent; also accepted as the Idempotency-Key header",
      }),
  })
  .openapi("AuthorityEvent");

export const AuthorityEventAccepted = z
  .object({ personId: z.string(), eventId: z.string(), color: ColorSchema })
  .openapi("AuthorityEventAccepted");

// Rule sets

export const RuleSetListSchema = z
  .object({
    ruleSets: z.array(
      z.object({
        version: z.string(),
        publishedAt: z.string(),
        createdAt: z.string(),
        rules: z.number().int(),
        active: z.boolean(),
        previewId: z
          .string()
          .nullable()
          .openapi({ description: "The preview the publication was checked against" }),
      }),
    ),
  })
  .openapi("RuleSetList");

export const RuleSetPublishedSchema = z
  .object({ version: z.string(), active: z.boolean(), previewId: z.string().nullable() })
  .openapi("RuleSetPublished");

// Statistics

const ColorCounts = { green: z.number().int(), yellow: z.number().int(), red: z.number().int() };

export const StatsSchema = z
  .object({
    total: z.number().int(),
    byColor: z.object(ColorCounts),
    byDistrict: z.array(
      z.object({ districtCode: z.string().nullable(), districtName: z.string().nullable(), ...ColorCounts }),
    ),
    series: z
      .array(z.object({ at: z.string(), ...ColorCounts }))
      .openapi({ description: "Persons by colour at the end of each of the last 30 days (Asia/Shanghai)" }),
  })
  .openapi("Stats");

// Dead letters

export const DeadLetterListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" } }),
  ...CursorQuery.shape,
});

export const DeadLetterSchema = z
  .object({
    id: z.string(),
    originQueue: z.string().nullable(),
    body: z.unknown(),
    attempts: z.number().int(),
    reason: z.string().nullable(),
    receivedAt: IsoTimeSchema,
    replayedAt: IsoTimeSchema.nullable(),
  })
  .openapi("DeadLetter");

export const DeadLetterListSchema = z
  .object({ deadLetters: z.array(DeadLetterSchema), nextCursor: z.string().optional() })
  .openapi("DeadLetterList");

export const DeadLetterIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
});
