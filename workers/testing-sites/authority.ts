import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import type { TestingSiteRow } from "../../schema/d1/testing-sites";
import { isDistrictCode } from "../../schema/districts";
import { errorResponses, security } from "../../schema/wire/common";
import {
  CreateTestingSiteBody,
  SiteIdParam,
  TestingSiteCreatedSchema,
  UpdateTestingSiteBody,
} from "../../schema/wire/testing-sites";
import { newApp } from "../app";
import { auditStatement } from "../audit/log";
import { randomId } from "../auth/hashing";
import { authorityAuth, personCaller } from "../auth/middleware";
import { invalid, notFound } from "../http/problems";
import {
  bumpVersionStatement,
  deleteSiteStatement,
  findSite,
  insertSiteStatement,
  updateSiteStatement,
} from "./repo";

function requireDistrict(code: string | undefined) {
  if (code !== undefined && !isDistrictCode(code)) {
    throw invalid([{ path: "districtCode", message: "is not a known GB/T 2260 district code" }]);
  }
}

const createRouteDef = createRoute({
  method: "post",
  path: "/v1/authority/testing-sites",
  tags: ["Testing sites"],
  summary: "Add a testing site to the public directory",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateTestingSiteBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: TestingSiteCreatedSchema } } },
    ...errorResponses,
  },
});

const updateRouteDef = createRoute({
  method: "patch",
  path: "/v1/authority/testing-sites/{siteId}",
  tags: ["Testing sites"],
  summary: "Change a testing site (any subset of its fields)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    params: SiteIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateTestingSiteBody } } },
  },
  responses: {
    200: { description: "Changed", content: { "application/json": { schema: TestingSiteCreatedSchema } } },
    ...errorResponses,
  },
});

const deleteRouteDef = createRoute({
  method: "delete",
  path: "/v1/authority/testing-sites/{siteId}",
  tags: ["Testing sites"],
  summary: "Remove a testing site from the directory",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: SiteIdParam },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export const testingSiteAuthorityRoutes = newApp()
  .openapi(createRouteDef, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    requireDistrict(body.districtCode);
    const at = new Date().toISOString();
    const row: TestingSiteRow = {
      siteId: randomId("ts"),
      name: body.name,
      address: body.address,
      districtCode: body.districtCode,
      lat: body.location.lat,
      lon: body.location.lon,
      openingHours: JSON.stringify(body.openingHours),
      services: JSON.stringify([...new Set(body.services)]),
      free: body.free,
      phone: body.phone ?? null,
      createdAt: at,
      updatedAt: at,
    };
    await drizzle(c.env.DB).batch([
      insertSiteStatement(c.env, row),
      bumpVersionStatement(c.env),
      auditStatement(
        c.env,
        caller,
        {
          action: "testing_site.create",
          target: row.siteId,
          detail: { name: row.name, districtCode: row.districtCode },
        },
        c.get("requestId"),
      ),
    ]);
    return c.json({ siteId: row.siteId }, 201);
  })
  .openapi(updateRouteDef, async (c) => {
    const caller = personCaller(c);
    const { siteId } = c.req.valid("param");
    const body = c.req.valid("json");
    requireDistrict(body.districtCode);
    if (!(await findSite(c.env, siteId))) throw notFound("No such testing site");
    const set: Partial<TestingSiteRow> = { updatedAt: new Date().toISOString() };
    if (body.name !== undefined) set.name = body.name;
    if (body.address !== undefined) set.address = body.address;
    if (body.districtCode !== undefined) set.districtCode = body.districtCode;
    if (body.location !== undefined) Object.assign(set, { lat: body.location.lat, lon: body.location.lon });
    if (body.openingHours !== undefined) set.openingHours = JSON.stringify(body.openingHours);
    if (body.services !== undefined) set.services = JSON.stringify([...new Set(body.services)]);
    if (body.free !== undefined) set.free = body.free;
    if (body.phone !== undefined) set.phone = body.phone;
    await drizzle(c.env.DB).batch([
      updateSiteStatement(c.env, siteId, set),
      bumpVersionStatement(c.env),
      auditStatement(
        c.env,
        caller,
        { action: "testing_site.update", target: siteId, detail: { fields: Object.keys(body) } },
        c.get("requestId"),
      ),
    ]);
    return c.json({ siteId }, 200);
  })
  .openapi(deleteRouteDef, async (c) => {
    const caller = personCaller(c);
    const { siteId } = c.req.valid("param");
    if (!(await findSite(c.env, siteId))) throw notFound("No such testing site");
    await drizzle(c.env.DB).batch([
      deleteSiteStatement(c.env, siteId),
      bumpVersionStatement(c.env),
      auditStatement(c.env, caller, { action: "testing_site.delete", target: siteId }, c.get("requestId")),
    ]);
    return c.body(null, 204);
  });
