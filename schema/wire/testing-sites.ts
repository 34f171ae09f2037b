import { z } from "@hono/zod-openapi";
import { intervalErrors, WEEKDAYS } from "../opening-hours";

const Clock = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, "a local time HH:MM (Asia/Shanghai)");
const Interval = z.tuple([Clock, Clock]);

export const OpeningHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Interval).max(6).optional()])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodOptional<z.ZodArray<typeof Interval>>
    >,
  )
  .strict()
  .superRefine((hours, ctx) => {
    for (const day of WEEKDAYS) {
      for (const message of intervalErrors(hours[day] ?? [])) {
        const [where, text] = message.split(": ");
        ctx.addIssue({ code: "custom", path: [day, ...where!.split(".").map(Number)], message: text! });
      }
    }
  })
  .openapi("OpeningHours", {
    description:
      "Local time in Asia/Shanghai by weekday; a missing or empty day is closed; an interval ending before it starts runs past midnight.",
    example: {
      mon: [
        ["08:00", "12:00"],
        ["14:00", "18:00"],
      ],
      sat: [["09:00", "12:00"]],
    },
  });

export const SERVICES = ["nucleic_acid", "antibody"] as const;

const Location = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

const siteFields = {
  name: z.string().trim().min(1).max(120),
  address: z.string().trim().min(1).max(300),
  districtCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 district code"),
  location: Location,
  openingHours: OpeningHoursSchema,
  services: z.array(z.enum(SERVICES)).min(1).max(SERVICES.length),
  free: z.boolean(),
  phone: z
    .string()
    .trim()
    .regex(
      /^\+?[0-9][0-9 -]{2,19}$/,
      "a phone number: digits, optionally with a leading + and spaces or dashes",
    )
    .optional(),
};

export const CreateTestingSiteBody = z.object(siteFields).openapi("CreateTestingSite");

/** Any subset of the fields; `phone: null` removes the phone. */
export const UpdateTestingSiteBody = z
  .object({
    name: siteFields.name.optional(),
    address: siteFields.address.optional(),
    districtCode: siteFields.districtCode.optional(),
    location: siteFields.location.optional(),
    openingHours: siteFields.openingHours.optional(),
    services: siteFields.services.optional(),
    free: siteFields.free.optional(),
    phone: siteFields.phone.unwrap().nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "must change at least one field" })
  .openapi("UpdateTestingSite");

export const SiteIdParam = z.object({
  siteId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "siteId", in: "path" }, example: "ts_3kQ9x" }),
});

export const TestingSiteCreatedSchema = z.object({ siteId: z.string() }).openapi("TestingSiteCreated");

export const TestingSiteSchema = z
  .object({
    siteId: z.string(),
    ...siteFields,
    phone: z.string().optional(),
    distanceKm: z
      .number()
      .optional()
      .openapi({ description: "Great-circle distance from `near`, km (3 decimals)" }),
    openNow: z.boolean().openapi({ description: "Open at the time of the answer (Asia/Shanghai)" }),
  })
  .openapi("TestingSite");

export const TestingSiteListSchema = z
  .object({ sites: z.array(TestingSiteSchema), nextCursor: z.string().optional() })
  .openapi("TestingSiteList");

export const TestingSiteQuery = z.object({
  districtCode: z
    .string()
    .regex(/^\d{6}$/, "a 6-digit GB/T 2260 code; a prefecture (e.g. 510100) matches its counties")
    .optional()
    .openapi({ param: { name: "districtCode", in: "query" }, example: "510100" }),
  near: z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/, "lat,lon in decimal degrees")
    .optional()
    .openapi({ param: { name: "near", in: "query" }, example: "30.6586,104.0647" }),
  openNow: z
    .enum(["true", "false"])
    .optional()
    .openapi({ param: { name: "openNow", in: "query" } }),
  service: z
    .enum(SERVICES)
    .optional()
    .openapi({ param: { name: "service", in: "query" } }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, example: 20 }),
});
