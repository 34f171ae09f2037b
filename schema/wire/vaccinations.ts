import { z } from "@hono/zod-openapi";
import { IdNumberSchema, IdTypeSchema, NationalitySchema, PersonNameSchema } from "./common";

export const MAX_RECORDS = 1000;

export const CreateVaccinationSiteBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    districtCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 district code"),
  })
  .openapi("CreateVaccinationSite");

export const VaccinationSiteCreatedSchema = z
  .object({
    siteId: z.string(),
    siteKey: z.string().openapi({ description: "The site's key; shown once, stored only as its SHA-256" }),
  })
  .openapi("VaccinationSiteCreated");

/** A real calendar day (Date.parse rolls 2026-02-30 over into March instead of refusing it). */
function realDay(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A calendar day or a full ISO time; the rule engine reads either as a time. */
const VaccinationDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
    "a date YYYY-MM-DD or an ISO 8601 time with offset",
  )
  .refine((s) => realDay(s) && !Number.isNaN(Date.parse(s)), "is not a real date");

export const VaccinationRecordInput = z.object({
  recordId: z.string().trim().min(1).max(64),
  idType: IdTypeSchema,
  idNumber: IdNumberSchema,
  nationality: NationalitySchema.optional(),
  name: PersonNameSchema,
  product: z.string().trim().min(1).max(120),
  dose: z.number().int().min(1).max(10),
  date: VaccinationDate,
});

export const VaccinationRecordsBody = z
  .object({ records: z.array(VaccinationRecordInput).min(1).max(MAX_RECORDS) })
  .openapi("VaccinationRecords");

export const IntakeReceiptSchema = z
  .object({ accepted: z.number().int(), duplicates: z.number().int() })
  .openapi("IntakeReceipt");

export const MyVaccinationSchema = z
  .object({
    recordId: z.string(),
    siteId: z.string(),
    siteName: z.string().nullable(),
    product: z.string(),
    dose: z.number().int(),
    date: z.string(),
  })
  .openapi("MyVaccination");

export const MyVaccinationListSchema = z
  .object({ vaccinations: z.array(MyVaccinationSchema).openapi({ description: "Newest first" }) })
  .openapi("MyVaccinationList");

/** Queue message to the intake consumer: person ids only, never identity numbers or names. */
export interface VaccinationsMessage {
  type: "vaccinations";
  siteId: string;
  records: { personId: string; recordId: string; product: string; dose: number; date: string }[];
}
