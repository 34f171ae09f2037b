import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import type { VaccinationFact } from "../../durable/rules/facts";
import { isDistrictCode } from "../../schema/districts";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import {
  CreateVaccinationSiteBody,
  IntakeReceiptSchema,
  MyVaccinationListSchema,
  VaccinationRecordsBody,
  VaccinationSiteCreatedSchema,
  type VaccinationsMessage,
} from "../../schema/wire/vaccinations";
import { newApp } from "../app";
import { auditStatement } from "../audit/log";
import { issueKey } from "../auth/api-keys";
import { randomId } from "../auth/hashing";
import { authorityAuth, keyAuth, keyCaller, personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { type FieldError, invalid } from "../http/problems";
import { checkIdentity } from "../identity/documents";
import { derivePersonId } from "../identity/person-id";
import { chunk } from "../lib/chunk";
import { requireManaged } from "../persons/access";
import { insertSiteStatement, knownRecordIds, siteNames } from "./repo";

/** Records per queue message: well under the 128 KB message limit (a record is ~150 bytes). */
export const RECORDS_PER_MESSAGE = 250;

const createSite = createRoute({
  method: "post",
  path: "/v1/authority/vaccination-sites",
  tags: ["Vaccinations"],
  summary: "Register a vaccination site; its key is returned once",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: CreateVaccinationSiteBody } } },
  },
  responses: {
    201: {
      description: "Created",
      content: { "application/json": { schema: VaccinationSiteCreatedSchema } },
    },
    ...errorResponses,
  },
});

const submitRecords = createRoute({
  method: "post",
  path: "/v1/vaccination/records",
  tags: ["Vaccinations"],
  summary: "Submit up to 1,000 vaccination records; queued, applied once per (site, recordId)",
  security: security.labKey,
  middleware: [keyAuth("vaccination_site")] as const,
  request: { body: { required: true, content: { "application/json": { schema: VaccinationRecordsBody } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: IntakeReceiptSchema } } },
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

const listMine = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/vaccinations",
  tags: ["People's services"],
  summary: "The person's vaccinations, newest first, with the site's name",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: {
      description: "Vaccinations",
      content: { "application/json": { schema: MyVaccinationListSchema } },
    },
    ...errorResponses,
  },
});

const dayOrTime = (s: string) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);

export const vaccinationRoutes = newApp()
  .openapi(createSite, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    if (!isDistrictCode(body.districtCode))
      throw invalid([{ path: "districtCode", message: "is not a known GB/T 2260 district code" }]);
    const siteId = randomId("vs");
    await drizzle(c.env.DB).batch([
      insertSiteStatement(c.env, {
        siteId,
        name: body.name,
        districtCode: body.districtCode,
        createdAt: new Date().toISOString(),
        createdBy: caller.actor,
      }),
      auditStatement(
        c.env,
        caller,
        {
          action: "vaccination_site.create",
          target: siteId,
          detail: { name: body.name, districtCode: body.districtCode },
        },
        c.get("requestId"),
      ),
    ]);
    const { key } = await issueKey(c.env, "vaccination_site", siteId, body.name);
    c.header("cache-control", "no-store");
    return c.json({ siteId, siteKey: key }, 201);
  })
  .openapi(submitRecords, async (c) => {
    const { ownerId: siteId } = keyCaller(c);
    const { records } = c.req.valid("json");
    const errors: FieldError[] = [];
    const items: VaccinationsMessage["records"] = [];
    for (const [i, r] of records.entries()) {
      const check = checkIdentity(r);
      if (!check.ok) {
        for (const e of check.errors) errors.push({ path: `records.${i}.${e.path}`, message: e.message });
        continue;
      }
      items.push({
        personId: await derivePersonId(config(c.env).personIdKey, check.identity),
        recordId: r.recordId,
        product: r.product,
        dose: r.dose,
        date: r.date,
      });
    }
    // All or nothing: a site fixes the flagged records and sends the batch again.
    if (errors.length > 0) throw invalid(errors);

    const unique = new Map<string, (typeof items)[number]>();
    for (const item of items) if (!unique.has(item.recordId)) unique.set(item.recordId, item);
    const known = await knownRecordIds(c.env, siteId, [...unique.values()]);
    const fresh = [...unique.values()].filter((r) => !known.has(r.recordId));
    if (fresh.length > 0) {
      await c.env.INTAKE_QUEUE.sendBatch(
        chunk(fresh, RECORDS_PER_MESSAGE).map((part) => ({
          body: { type: "vaccinations", siteId, records: part } satisfies VaccinationsMessage,
        })),
      );
    }
    return c.json({ accepted: fresh.length, duplicates: records.length - fresh.length }, 202);
  })
  .openapi(listMine, async (c) => {
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, personCaller(c), personId);
    const facts = (await c.env.PERSON.getByName(personId).facts("vaccination")) as VaccinationFact[];
    const names = await siteNames(
      c.env,
      facts.map((f) => f.siteId),
    );
    const sorted = [...facts].sort((a, b) => dayOrTime(b.date) - dayOrTime(a.date) || b.dose - a.dose);
    c.header("cache-control", "no-store");
    return c.json(
      {
        vaccinations: sorted.map((f) => ({
          recordId: f.id.slice(`vaccination:${f.siteId}:`.length),
          siteId: f.siteId,
          siteName: names.get(f.siteId) ?? null,
          product: f.product,
          dose: f.dose,
          date: f.date,
        })),
      },
      200,
    );
  });
