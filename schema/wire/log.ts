import { z } from "@hono/zod-openapi";

export const LogProofQuery = z.object({
  // Checked after the access check (so a stranger learns nothing from a 400): required there.
  index: z
    .string()
    .optional()
    .openapi({
      param: { name: "index", in: "query", required: true },
      example: "42",
      description: "The entry's index",
    }),
});

export const LogProofSchema = z
  .object({
    checkpoint: z
      .string()
      .openapi({ description: "The signed checkpoint (C2SP signed note) the proof is for" }),
    index: z.number().int(),
    entry: z.string().openapi({ description: "The entry's bytes (canonical JSON, UTF-8)" }),
    proof: z
      .array(z.string())
      .openapi({ description: "RFC 6962 inclusion proof: base64 hashes, leaf side first" }),
  })
  .openapi("LogProof");
