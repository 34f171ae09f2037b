import { z } from "@hono/zod-openapi";
import { IsoTimeSchema } from "./common";

export const RISK_LEVELS = ["high", "medium"] as const;

export const DesignateBody = z
  .object({
    level: z.enum(RISK_LEVELS),
    districtCode: z
      .string()
      .regex(/^\d{6}$/, "a 6-digit GB/T 2260 district code")
      .optional(),
    venueIds: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    reason: z.string().trim().min(3).max(1000),
    dryRun: z.boolean().optional(),
    confirm: z.boolean().optional(),
    excludeUnconfirmed: z.boolean().optional().openapi({
      description:
        "Leave out visits whose presence is unconfirmed (manual entries, scans of codes older than a minute, printed-poster check-ins without a location), now and for visits recorded later",
    }),
  })
  .openapi("DesignateRiskArea");

const UnconfirmedCounts = {
  unconfirmedOnly: z.number().int().openapi({
    description:
      "Of the affected persons (counted before `excludeUnconfirmed`), those there only through unconfirmed visits",
  }),
  unconfirmedByCause: z
    .object({
      manualEntry: z.number().int(),
      olderScan: z.number().int(),
      unconfirmedCheckIn: z.number().int(),
    })
    .openapi({ description: "Of those, how many have at least one visit of each kind" }),
  excludeUnconfirmed: z.boolean(),
};

export const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    affectedPersons: z
      .number()
      .int()
      .openapi({ description: "Persons it would reach (after `excludeUnconfirmed`)" }),
    venues: z.number().int(),
    ...UnconfirmedCounts,
  })
  .openapi("RiskAreaDryRun");

export const DesignatedSchema = z
  .object({
    riskAreaId: z.string(),
    affectedPersons: z.number().int(),
    venues: z.number().int(),
    ...UnconfirmedCounts,
  })
  .openapi("RiskAreaDesignated");

export const RiskAreaIdParam = z.object({
  riskAreaId: z
    .string()
    .regex(/^ra_[A-Za-z0-9_-]{8,40}$/, "a risk-area id")
    .openapi({ param: { name: "riskAreaId", in: "path" } }),
});

export const LiftBody = z.object({ reason: z.string().trim().min(3).max(1000) }).openapi("LiftRiskArea");

export const LiftedSchema = z
  .object({ riskAreaId: z.string(), liftedAt: IsoTimeSchema, persons: z.number().int() })
  .openapi("RiskAreaLifted");

export const PublicRiskAreaSchema = z
  .object({
    riskAreaId: z.string(),
    level: z.enum(RISK_LEVELS),
    districtCode: z.string().nullable(),
    districtName: z.string().nullable(),
    venues: z.array(z.object({ venueId: z.string(), name: z.string(), districtCode: z.string() })),
    venueCount: z.number().int(),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    designatedAt: IsoTimeSchema,
  })
  .openapi("RiskArea");

export const RiskAreaListSchema = z
  .object({ riskAreas: z.array(PublicRiskAreaSchema) })
  .openapi("RiskAreaList");
