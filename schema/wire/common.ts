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

/** One shared OpenAPI response per error status, each saying what that status means here. */
export const problems = {
  400: problem("Invalid input; `errors` names every bad field"),
  401: problem("Missing or invalid credential"),
  403: problem("Not allowed for this caller"),
  404: problem("Not found"),
  409: problem("Conflicts with the current state (already exists, already decided, or in use)"),
  410: problem("Gone: it existed but has expired or been revoked"),
  413: problem("The body is larger than this route accepts"),
  415: problem("The body's content type is not one this route accepts"),
  422: problem("Well-formed, but refused by a rule (for example a check-in too far from the venue)"),
  429: problem("Too many requests; retry after the `Retry-After` header"),
  503: problem("Busy or a dependency is unavailable; retry after the `Retry-After` header"),
};

/** The error answers every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: problems[400],
  401: problems[401],
  403: problems[403],
  404: problems[404],
};

export const PersonIdParam = z.object({
  personId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "personId", in: "path" }, example: "k3Jd8s0aQ2W1bX9cYz7LqA" }),
});

/** `?cursor=`: the opaque `nextCursor` of the previous page, for every paged list. */
export const CursorQuery = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

export const security: Record<"idToken" | "deviceKey" | "labKey", { [scheme: string]: string[] }[]> = {
  idToken: [{ idToken: [] }],
  deviceKey: [{ deviceKey: [] }],
  labKey: [{ labKey: [] }],
};
