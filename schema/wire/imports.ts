import { z } from "@hono/zod-openapi";
import type { Color } from "../vocabulary";
import {
  ColorSchema,
  IdNumberSchema,
  IdTypeSchema,
  NationalitySchema,
  PersonNameSchema,
  PhoneSchema,
} from "./common";

/** Lines per request: a chunk is validated, encrypted and written within one request's budget. */
export const MAX_IMPORT_LINES = 10_000;

/** One line of the NDJSON body: a person as the previous system knew them. */
export const ImportLineSchema = z
  .object({
    idType: IdTypeSchema,
    idNumber: IdNumberSchema,
    nationality: NationalitySchema.optional(),
    name: PersonNameSchema,
    phone: PhoneSchema.optional(),
    color: ColorSchema,
    reason: z.string().trim().min(1).max(500),
    since: z.iso.datetime({ offset: true }),
    source: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a short system name: letters, digits, _ . -"),
  })
  .openapi("ImportLine");

export const ImportQuery = z.object({
  importId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "1 to 64 letters, digits, _ or -")
    .optional()
    .openapi({
      param: { name: "importId", in: "query" },
      description: "Names an import so its chunks can be resumed",
    }),
  chunk: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ param: { name: "chunk", in: "query" }, description: "The chunk's number within the import" }),
});

export const ImportReceiptSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.array(
      z.object({
        line: z.number().int().openapi({ description: "1-based, within this request's body" }),
        message: z.string(),
      }),
    ),
  })
  .openapi("ImportReceipt");

export type ImportReceipt = z.infer<typeof ImportReceiptSchema>;

/** Queue message to the intake consumer: person ids and colours only, no identity numbers or names. */
export interface ImportsMessage {
  type: "imports";
  items: {
    personId: string;
    color: Color;
    reason: string;
    since: string;
    source: string;
    districtCode: string | null;
  }[];
}
