import { z } from "@hono/zod-openapi";

export const ColorSchema = z.enum(["green", "yellow", "red"]).openapi("Color");

export const IdTypeSchema = z
  .enum(["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent_resident"])
  .openapi("IdType");

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
