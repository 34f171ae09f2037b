import { z } from "@hono/zod-openapi";

/**
 * A rule set is data, not code, so that the authority can publish a new one
 * (`POST /v1/authority/rule-sets`) without a deploy and so that every colour change can name the
 * exact rule and version that decided it. The engine (engine.ts) is the only interpreter.
 *
 * Times inside a rule set are relative to the fact that fired the rule (its "trigger time"):
 * `sampledAt` of a test result, `occurredAt` of an authority event, `visitedAt` of an exposure,
 * `since` of an imported colour.
 */

const MAX_DAYS = 366;

export const LocalizedTextSchema = z.strictObject({
  zh: z.string().trim().min(1, "Chinese text is required"),
  en: z.string().trim().min(1, "English text is required"),
});

const TestKindSchema = z.enum(["nucleic_acid", "antibody"]);

const TriggerSchema = z.discriminatedUnion("fact", [
  z.strictObject({
    fact: z.literal("test_result"),
    test: TestKindSchema,
    result: z.enum(["positive", "negative"]),
  }),
  z.strictObject({
    fact: z.literal("authority_event"),
    // `released` only ever lifts a rule (see `afterRelease`); a rule fired by it would be nonsense.
    event: z.enum(["confirmed", "close_contact", "secondary_contact"], {
      error:
        "event must be one of confirmed, close_contact, secondary_contact (released lifts, it never triggers)",
    }),
  }),
  z.strictObject({
    fact: z.literal("exposure"),
    /** Omitted: every level. Exposures from a risk area that has been lifted never fire. */
    levels: z
      .array(z.enum(["high", "medium"]))
      .min(1, "levels, when given, must name at least one level")
      .optional(),
  }),
  z.strictObject({
    fact: z.literal("imported_color"),
    /** The imported colour this rule carries over; an imported green needs no rule. */
    color: z.enum(["yellow", "red"]),
  }),
]);

const AfterDaysSchema = z.strictObject({
  afterDays: z.number().int().positive().max(MAX_DAYS),
  from: z.literal("trigger"),
});

/** N days after the first authority `released` event that is later than the trigger. */
const AfterReleaseSchema = z.strictObject({
  afterRelease: z.strictObject({ days: z.number().int().nonnegative().max(MAX_DAYS) }),
});

/**
 * `count` negative tests sampled strictly after the trigger, each at least `spacingHours` after
 * the previous one counted.
 */
const NegativeTestsSchema = z.strictObject({
  negativeTests: z.strictObject({
    count: z.number().int().min(1).max(10),
    spacingHours: z
      .number()
      .nonnegative()
      .max(MAX_DAYS * 24),
    test: TestKindSchema,
    after: z.literal("trigger"),
  }),
});

const LIFT_SHAPES =
  "a lift is one of {afterDays, from: 'trigger'}, {afterRelease: {days}}, " +
  "{negativeTests: {count, spacingHours, test, after: 'trigger'}}";

const liftUnionError = (shapes: string) => (issue: { code?: string }) =>
  issue.code === "invalid_union" ? shapes : undefined;

export const SimpleLiftSchema = z.union([AfterDaysSchema, AfterReleaseSchema, NegativeTestsSchema], {
  error: liftUnionError(LIFT_SHAPES),
});

// anyOf is one level deep on purpose: without an allOf, a nested anyOf says nothing a flat one
// cannot, and a non-recursive schema keeps the OpenAPI document simple.
const AnyOfSchema = z.strictObject({
  anyOf: z.array(SimpleLiftSchema).min(2, "anyOf needs at least two conditions"),
});

export const LiftSchema = z.union([AfterDaysSchema, AfterReleaseSchema, NegativeTestsSchema, AnyOfSchema], {
  error: liftUnionError(`${LIFT_SHAPES}, or {anyOf: [two or more of those]}`),
});

export const RuleSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "rule id must be lower-case kebab-case, e.g. 'positive-test'"),
  version: z.string().trim().min(1).max(32),
  description: LocalizedTextSchema,
  // Green is the absence of active rules, so a green rule could never change anything.
  color: z.enum(["yellow", "red"], { error: "a rule's color must be yellow or red" }),
  trigger: TriggerSchema,
  lift: LiftSchema,
});

export const RuleSetSchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, "version must be a short label such as '2021.1'"),
    publishedAt: z.iso.datetime({ error: "publishedAt must be an ISO 8601 UTC time" }),
    rules: z.array(RuleSchema).min(1, "a rule set needs at least one rule"),
  })
  .superRefine((set, ctx) => {
    const first = new Map<string, number>();
    set.rules.forEach((rule, i) => {
      const seen = first.get(rule.id);
      if (seen === undefined) first.set(rule.id, i);
      else
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "id"],
          message: `duplicate rule id '${rule.id}' (already used by rules[${seen}])`,
        });
    });
  })
  .openapi("RuleSet");

export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;
export type SimpleLift = z.infer<typeof SimpleLiftSchema>;
export type Lift = z.infer<typeof LiftSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type RuleSet = z.infer<typeof RuleSetSchema>;
