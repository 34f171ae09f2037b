import { z } from "@hono/zod-openapi";

export const StatsBackfillBody = z
  .object({
    reason: z.string().trim().min(1, "a reason is required; it is audited").max(500),
  })
  .openapi("StatsBackfillStart");

export const StatsBackfillSchema = z
  .object({
    ranges: z
      .number()
      .int()
      .openapi({ description: "Id ranges walked in parallel (person shards × ranges each)" }),
    started: z
      .number()
      .int()
      .openapi({ description: "Ranges this call started (a range still running goes on, not restarted)" }),
    running: z.number().int(),
    done: z.number().int(),
    seen: z.number().int().openapi({ description: "Persons asked so far" }),
    counted: z.number().int().openapi({ description: "Persons counted now because they never had been" }),
  })
  .openapi("StatsBackfill");
