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
    qrSvg: z.string().openapi({ description: "The token as a QR code, SVG" }),
  })
  .openapi("Code");

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
