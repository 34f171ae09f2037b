import { z } from "@hono/zod-openapi";
import { COLORS, ID_TYPES } from "../vocabulary";

export const ColorSchema = z.enum(COLORS).openapi("Color");

export const IdTypeSchema = z.enum(ID_TYPES).openapi("IdType");

/** A person's name as written on their document (stored encrypted, shown masked). */
export const PersonNameSchema = z.string().trim().min(1).max(64);

/** An identity document number; its format is checked per `idType` by workers/identity/documents.ts. */
export const IdNumberSchema = z.string().trim().min(5).max(32);

export const PhoneSchema = z
  .string()
  .trim()
  .regex(
    /^\+?[0-9][0-9 -]{5,19}$/,
    "a phone number: digits, optionally with a leading + and spaces or dashes",
  );

export const NationalitySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "an ISO 3166-1 alpha-3 code such as CHN or GBR");

/** A machine key as listed to its owner: never the key itself. */
export const KeySummarySchema = z
  .object({
    keyId: z.string(),
    label: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("KeySummary");

/** A path parameter with a length bound, documented in OpenAPI. */
export const pathParam = (name: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" } });

export const IsoTimeSchema = z.iso.datetime({ offset: true }).openapi({ example: "2026-11-27T09:30:00Z" });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error answers every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: problem("Invalid input; `errors` names every bad field"),
  401: problem("Missing or invalid credential"),
  403: problem("Not allowed for this caller"),
  404: problem("Not found"),
};

export const PersonIdParam = z.object({
  personId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "personId", in: "path" }, example: "k3Jd8s0aQ2W1bX9cYz7LqA" }),
});

export const security: Record<"idToken" | "deviceKey" | "labKey", { [scheme: string]: string[] }[]> = {
  idToken: [{ idToken: [] }],
  deviceKey: [{ deviceKey: [] }],
  labKey: [{ labKey: [] }],
};
