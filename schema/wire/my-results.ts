import { z } from "@hono/zod-openapi";
import { IsoTimeSchema } from "./common";

export const MyResultSchema = z
  .object({
    resultId: z.string().openapi({ description: "Stable id: result:{labId}:{sampleId}" }),
    labId: z.string(),
    labName: z.string().nullable().openapi({ description: "null when the lab is no longer in the registry" }),
    sampleId: z.string(),
    test: z.enum(["nucleic_acid", "antibody"]),
    result: z.enum(["positive", "negative"]),
    sampledAt: IsoTimeSchema,
    reportedAt: IsoTimeSchema,
  })
  .openapi("MyResult");

export const MyResultListSchema = z
  .object({ results: z.array(MyResultSchema).openapi({ description: "Newest sample first" }) })
  .openapi("MyResultList");
