import { z } from "@hono/zod-openapi";
import { RELATIONSHIPS } from "../d1/persons";
import { ColorSchema, IdTypeSchema, IsoTimeSchema } from "./common";

export const ApplyPersonBody = z
  .object({
    name: z.string().trim().min(1).max(64),
    idType: IdTypeSchema,
    idNumber: z.string().trim().min(5).max(32),
    phone: z
      .string()
      .trim()
      .regex(
        /^\+?[0-9][0-9 -]{5,19}$/,
        "a phone number: digits, optionally with a leading + and spaces or dashes",
      ),
    nationality: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "an ISO 3166-1 alpha-3 code such as CHN or GBR")
      .optional(),
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
