import { z } from "@hono/zod-openapi";
import { RELATIONSHIPS } from "../d1/persons";
import {
  ColorSchema,
  IdNumberSchema,
  IdTypeSchema,
  IsoTimeSchema,
  NationalitySchema,
  PersonNameSchema,
  PhoneSchema,
} from "./common";

export const ApplyPersonBody = z
  .object({
    name: PersonNameSchema,
    idType: IdTypeSchema,
    idNumber: IdNumberSchema,
    phone: PhoneSchema,
    nationality: NationalitySchema.optional(),
    relationship: z.enum(RELATIONSHIPS),
  })
  .openapi("ApplyPerson");

export const PersonSummarySchema = z
  .object({
    personId: z.string(),
    maskedName: z.string(),
    relationship: z.enum(RELATIONSHIPS),
    color: ColorSchema,
    since: IsoTimeSchema,
    version: z.number().int(),
  })
  .openapi("PersonSummary");

export const PersonListSchema = z.object({ persons: z.array(PersonSummarySchema) }).openapi("PersonList");

export const CodeSchema = z
  .object({
    token: z.string().openapi({ description: "Compact JWS (ES256, typ hc+jwt)" }),
    color: ColorSchema,
    version: z.number().int(),
    kind: z.enum(["live", "paper"]),
    issuedAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema,
    qrSvg: z.string().optional().openapi({
      description: "The token as a QR code, SVG: only with `?qr=svg` (apps draw it from `token`)",
    }),
  })
  .openapi("Code");

export const CodeQuery = z.object({
  qr: z
    .enum(["svg"])
    .optional()
    .openapi({
      param: { name: "qr", in: "query" },
      description: "`svg` adds `qrSvg`, for clients that cannot draw a QR from the token",
    }),
});

const ReasonSchema = z
  .object({
    rule: z.string(),
    ruleVersion: z.union([z.string(), z.number()]),
    text: z.object({ zh: z.string(), en: z.string() }),
    lift: z.object({ zh: z.string(), en: z.string() }).optional(),
    imports: z
      .array(
        z.object({
          id: z.string(),
          color: ColorSchema,
          reason: z.string(),
          source: z.string(),
          since: IsoTimeSchema,
        }),
      )
      .optional()
      .openapi({
        description:
          "For a colour carried over from a previous system: the reason and source system it came with",
      }),
  })
  .passthrough()
  .openapi("Reason");

export const StatusSchema = z
  .object({
    color: ColorSchema,
    version: z.number().int(),
    since: IsoTimeSchema,
    reviewAt: IsoTimeSchema.nullable(),
    ruleSetVersion: z.string().optional(),
    reasons: z.array(ReasonSchema),
    history: z.array(z.object({}).passthrough()),
  })
  .openapi("Status");

export const PendingApplicationSchema = z
  .object({
    personId: z.string(),
    status: z.literal("pending"),
    requestId: z
      .string()
      .openapi({ description: "The person approves or denies it in their own app; it lapses after 7 days" }),
    expiresAt: IsoTimeSchema,
  })
  .openapi("PendingApplication");

export const ManagerSchema = z
  .object({
    managerId: z.string().openapi({ description: "The requestId while pending" }),
    relationship: z.enum(RELATIONSHIPS),
    status: z.enum(["active", "pending"]),
    proven: z.boolean().openapi({ description: "Bound with a real-name login asserting this identity" }),
    self: z.boolean(),
    you: z.boolean().openapi({ description: "The account asking" }),
    displacedSelf: z
      .boolean()
      .openapi({ description: "An unproven self login displaced by the person's real-name application" }),
    since: IsoTimeSchema,
    expiresAt: IsoTimeSchema.nullable(),
  })
  .openapi("Manager");

export const ManagerListSchema = z.object({ managers: z.array(ManagerSchema) }).openapi("ManagerList");

export const ManagerParams = z.object({
  personId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "personId", in: "path" } }),
  managerId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "managerId", in: "path" } }),
});

export const RequestParams = z.object({
  personId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "personId", in: "path" } }),
  requestId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "requestId", in: "path" } }),
});
