import { z } from "@hono/zod-openapi";
import { ColorSchema } from "./common";

const PREVIEW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const PreviewIdSchema = z.string().regex(PREVIEW_ID, "a preview id as returned by POST …/previews");

export const PreviewIdParam = z.object({
  previewId: PreviewIdSchema.openapi({ param: { name: "previewId", in: "path" } }),
});

export const PublishQuery = z.object({
  previewId: PreviewIdSchema.optional().openapi({
    param: { name: "previewId", in: "query" },
    description: "A finished preview of this same rule set, started within the hour",
  }),
  confirm: z
    .enum(["true", "false"], { error: "confirm must be true or false" })
    .optional()
    .openapi({
      param: { name: "confirm", in: "query" },
      description: "Needed when the preview changes more persons than RULE_CONFIRM_THRESHOLD",
    }),
});

export const PreviewStartedSchema = z.object({ previewId: z.string() }).openapi("RuleSetPreviewStarted");

const ChangeSchema = z.object({ from: ColorSchema, to: ColorSchema, count: z.number().int() });

export const RulePreviewSchema = z
  .object({
    previewId: z.string(),
    ruleSetVersion: z.string(),
    baseVersion: z
      .string()
      .openapi({ description: "The version in force the colours now were computed under" }),
    status: z.enum(["running", "done"]),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    evaluated: z.number().int(),
    total: z.number().int(),
    changed: z.number().int().openapi({ description: "Persons whose colour changes" }),
    threshold: z.number().int().openapi({ description: "RULE_CONFIRM_THRESHOLD" }),
    changes: z.array(ChangeSchema),
    byDistrict: z.array(
      z.object({
        districtCode: z
          .string()
          .nullable()
          .openapi({ description: "Prefecture (first four digits + 00); null: persons without a district" }),
        districtName: z.string().nullable(),
        changes: z.array(ChangeSchema),
      }),
    ),
    samples: z
      .array(
        z.object({
          maskedName: z.string(),
          districtCode: z.string().nullable(),
          from: ColorSchema,
          to: ColorSchema,
          decidedBy: z.object({
            now: z.array(z.string()).openapi({ description: "Rule ids giving the colour now (none: green)" }),
            proposed: z
              .array(z.string())
              .openapi({ description: "Rule ids giving it under the proposed set" }),
          }),
        }),
      )
      .max(20),
  })
  .openapi("RuleSetPreview");
