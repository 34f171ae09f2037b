import { z } from "@hono/zod-openapi";
import { APPEAL_KINDS, APPEAL_STATES } from "../d1/appeals";
import { IsoTimeSchema } from "./common";

export const CreateAppealBody = z
  .object({
    kind: z.enum(APPEAL_KINDS),
    text: z.string().trim().min(1).max(4000),
    evidenceRef: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: "A reference to evidence held elsewhere (a report number, a link)" }),
    checkInId: z.string().min(1).max(64).optional().openapi({
      description:
        "An appeal against one check-in the person did not make (see how it was recorded in GET …/checkins); upheld, it voids the check-in and any exposure it caused",
    }),
  })
  .openapi("CreateAppeal");

export const AppealEventSchema = z
  .object({
    kind: z.enum(["confirmed", "close_contact", "secondary_contact", "released"]),
    occurredAt: IsoTimeSchema,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .openapi({ description: "Shown to the person in their history" }),
  })
  .openapi("AppealEvent");

export const AnswerAppealBody = z
  .object({
    answer: z.string().trim().min(1).max(4000),
    event: AppealEventSchema.optional().openapi({
      description:
        "Recorded on the appellant's code as an authority event: the only way an answer changes a colour",
    }),
    upheld: z.boolean().optional().openapi({
      description:
        "For an appeal naming a `checkInId`: true upholds it, voiding that check-in and every exposure it caused (recorded in the person's history with the answer as the reason)",
    }),
  })
  .openapi("AnswerAppeal");

export const AppealSchema = z
  .object({
    appealId: z.string(),
    personId: z.string(),
    kind: z.enum(APPEAL_KINDS),
    text: z.string(),
    evidenceRef: z.string().optional(),
    state: z.enum(APPEAL_STATES),
    createdAt: IsoTimeSchema,
    answer: z.string().optional(),
    answeredAt: IsoTimeSchema.optional(),
    event: AppealEventSchema.optional(),
    checkInId: z.string().optional(),
    upheld: z.boolean().optional(),
  })
  .openapi("Appeal");

export const AppealListSchema = z.object({ appeals: z.array(AppealSchema) }).openapi("AppealList");

export const AuthorityAppealSchema = AppealSchema.extend({
  ageHours: z.number().openapi({ description: "Hours since the appeal was filed (one decimal)" }),
  overdue: z.boolean().openapi({ description: "Open past the target response time (APPEAL_TARGET_HOURS)" }),
}).openapi("AuthorityAppeal");

export const AuthorityAppealListSchema = z
  .object({ appeals: z.array(AuthorityAppealSchema), targetHours: z.number() })
  .openapi("AuthorityAppealList");

export const AppealListQuery = z.object({
  state: z
    .enum(APPEAL_STATES)
    .optional()
    .openapi({ param: { name: "state", in: "query" }, example: "open" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .openapi({ param: { name: "limit", in: "query" } }),
});

export const AppealIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
