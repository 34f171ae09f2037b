import { z } from "@hono/zod-openapi";
import { IdTypeSchema, IsoTimeSchema, PersonNameSchema } from "./common";

export const MAX_RESULTS_PER_REQUEST = 1000;

/** A sample id goes into fact ids (`result:{labId}:{sampleId}`): printable ASCII, no spaces. */
export const SampleIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,64}$/, "1 to 64 printable ASCII characters without spaces");

export const LabResultItem = z
  .object({
    sampleId: SampleIdSchema,
    idType: IdTypeSchema,
    idNumber: z.string().min(1).max(32),
    nationality: z.string().max(3).optional(),
    name: PersonNameSchema,
    test: z.enum(["nucleic_acid", "antibody"]),
    result: z.enum(["positive", "negative"]),
    sampledAt: IsoTimeSchema,
    reportedAt: IsoTimeSchema,
  })
  .openapi("LabResult");

export const LabResultsBody = z
  .object({
    results: z
      .array(LabResultItem)
      .min(1, "at least one result")
      .max(MAX_RESULTS_PER_REQUEST, `at most ${MAX_RESULTS_PER_REQUEST} results a request; split the batch`),
  })
  .openapi("LabResults");

export const LabResultsAccepted = z
  .object({
    accepted: z.number().int().openapi({ description: "Results queued to be applied" }),
    duplicates: z.number().int().openapi({
      description: "Results already known for this lab and sample id, or repeated in this request",
    }),
  })
  .openapi("LabResultsAccepted");

/**
 * One result as it travels on the intake queue: the person id replaces the identity, and the name
 * is dropped, so the queue never carries personal data it does not need.
 */
export const QueuedResult = z.object({
  personId: z.string().min(1).max(64),
  sampleId: SampleIdSchema,
  test: z.enum(["nucleic_acid", "antibody"]),
  result: z.enum(["positive", "negative"]),
  sampledAt: z.iso.datetime(),
  reportedAt: z.iso.datetime(),
});

export const LabResultsMessage = z.object({
  type: z.literal("lab_results"),
  labId: z.string().min(1).max(64),
  results: z.array(QueuedResult).min(1).max(MAX_RESULTS_PER_REQUEST),
});

export type QueuedResult = z.infer<typeof QueuedResult>;
export type LabResultsMessage = z.infer<typeof LabResultsMessage>;
