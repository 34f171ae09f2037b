import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import type { TrustedIssuerRow } from "../../schema/d1/issuers";
import { IssuerMetadataSchema } from "../../schema/wire/codes";
import { errorResponses, security } from "../../schema/wire/common";
import {
  CreateIssuerBody,
  IssuerListSchema,
  IssuerParam,
  IssuerSchema,
  UpdateIssuerBody,
} from "../../schema/wire/issuers";
import { newApp } from "../app";
import { auditStatement } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid, notFound } from "../http/problems";
import { normaliseKeys } from "./fetch";
import { fromRow, invalidateTrustList, keysStale, refreshIssuerKeys, type TrustedIssuer } from "./registry";
import {
  deleteIssuerStatement,
  findIssuerRow,
  listIssuerRows,
  updateIssuerStatement,
  upsertIssuerStatement,
} from "./repo";
import { ourIssuer } from "./self";
import { kidFieldErrors, shcKidRefusals } from "./shc-kid";
import { issuerInputProblems } from "./validate";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(i: TrustedIssuer) {
  return {
    issuer: i.issuer,
    name: i.name,
    regionCode: i.regionCode,
    format: i.format,
    algorithms: i.algorithms,
    status: i.status,
    jwksUri: i.jwksUri,
    kids: i.keys.map((k) => String(k.kid)),
    crlCount: i.crls.length,
    keysFetchedAt: iso(i.keysFetchedAt),
    keysStale: keysStale(i),
    lastRefreshError: i.lastRefreshError,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

const json = (schema: typeof IssuerSchema | typeof IssuerListSchema) => ({ "application/json": { schema } });

const createIssuer = createRoute({
  method: "post",
  path: "/v1/authority/issuers",
  tags: ["Authority"],
  summary: "Trust another issuer (region or SMART Health Cards); posting the same issuer again replaces it",
  description:
    "A remote `jwksUri` is fetched at once (3 s timeout); if that fails the issuer is still saved, with `lastRefreshError`, and codes from it do not verify until a fetch succeeds. For `format: smart-health-card` every key's `kid` must be its RFC 7638 thumbprint (SMART Health Cards spec): an inline key that breaks this is a 400 naming `jwks.keys.{i}.kid`; a fetched one is dropped and the refusal shown in `lastRefreshError`.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateIssuerBody } } } },
  responses: {
    201: { description: "Trusted", content: json(IssuerSchema) },
    200: { description: "Replaced", content: json(IssuerSchema) },
    ...errorResponses,
  },
});

const listIssuers = createRoute({
  method: "get",
  path: "/v1/authority/issuers",
  tags: ["Authority"],
  summary: "The trust list, with the state of each issuer's keys",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: { 200: { description: "Issuers", content: json(IssuerListSchema) }, ...errorResponses },
});

const updateIssuer = createRoute({
  method: "patch",
  path: "/v1/authority/issuers/{issuer}",
  tags: ["Authority"],
  summary: "Suspend or reactivate an issuer, or replace its SMART Health Cards CRLs",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    params: IssuerParam,
    body: { required: true, content: { "application/json": { schema: UpdateIssuerBody } } },
  },
  responses: { 200: { description: "Updated", content: json(IssuerSchema) }, ...errorResponses },
});

const refreshIssuer = createRoute({
  method: "post",
  path: "/v1/authority/issuers/{issuer}/refresh",
  tags: ["Authority"],
  summary: "Fetch the issuer's JWKS now, bypassing the cool-down; a failure keeps the last good keys",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: IssuerParam },
  responses: {
    200: { description: "The issuer after the attempt", content: json(IssuerSchema) },
    ...errorResponses,
  },
});

const deleteIssuer = createRoute({
  method: "delete",
  path: "/v1/authority/issuers/{issuer}",
  tags: ["Authority"],
  summary: "Stop trusting an issuer; its codes answer unknown_issuer from then on",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: IssuerParam },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

const metadata = createRoute({
  method: "get",
  path: "/.well-known/healthpass-issuer.json",
  tags: ["Public"],
  summary: "Our issuer metadata, for other regions to add us to their trust lists",
  responses: {
    200: { description: "Metadata", content: { "application/json": { schema: IssuerMetadataSchema } } },
  },
});

export const issuerRoutes = newApp()
  .openapi(createIssuer, async (c) => {
    const caller = personCaller(c);
    const body = c.req.valid("json");
    const cfg = config(c.env);
    const errors = issuerInputProblems(body, { devMode: cfg.devMode, ourIssuer: cfg.issuer });
    if (body.format === "smart-health-card" && body.jwks)
      errors.push(...kidFieldErrors(await shcKidRefusals(body.jwks.keys)));
    if (errors.length > 0) throw invalid(errors);
    const now = new Date().toISOString();
    const existing = await findIssuerRow(c.env, body.issuer);
    const keys = body.jwks ? await normaliseKeys(body.jwks.keys) : null;
    const row: TrustedIssuerRow = {
      issuer: body.issuer,
      name: body.name,
      regionCode: body.regionCode,
      format: body.format ?? "hc+jwt",
      algorithms: JSON.stringify(body.algorithms),
      jwksUri: body.jwksUri ?? null,
      // A replaced remote issuer keeps its last good keys until the new fetch succeeds.
      jwks: keys
        ? JSON.stringify({ keys })
        : existing?.jwksUri === body.jwksUri
          ? (existing?.jwks ?? null)
          : null,
      crls: body.crls ? JSON.stringify(body.crls) : null,
      status: body.status ?? "active",
      keysFetchedAt: keys
        ? now
        : existing?.jwksUri === body.jwksUri
          ? (existing?.keysFetchedAt ?? null)
          : null,
      lastRefreshAt: null,
      lastRefreshError: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await drizzle(c.env.DB).batch([
      upsertIssuerStatement(c.env, row),
      auditStatement(
        c.env,
        caller,
        {
          action: existing ? "issuer.replace" : "issuer.trust",
          target: body.issuer,
          detail: {
            name: body.name,
            regionCode: body.regionCode,
            format: row.format,
            jwksUri: row.jwksUri,
            kids: keys?.map((k) => k.kid),
          },
        },
        c.get("requestId"),
      ),
    ]);
    invalidateTrustList();
    let issuer = fromRow(row);
    if (issuer.jwksUri) issuer = await refreshIssuerKeys(c.env, issuer);
    return c.json(present(issuer), existing ? 200 : 201);
  })
  .openapi(listIssuers, async (c) => {
    const rows = await listIssuerRows(c.env);
    return c.json({ issuers: rows.map((r) => present(fromRow(r))) }, 200);
  })
  .openapi(updateIssuer, async (c) => {
    const caller = personCaller(c);
    const { issuer } = c.req.valid("param");
    const body = c.req.valid("json");
    const existing = await findIssuerRow(c.env, issuer);
    if (!existing) throw notFound("No such trusted issuer");
    const set = {
      ...(body.status ? { status: body.status } : {}),
      ...(body.crls ? { crls: JSON.stringify(body.crls) } : {}),
      updatedAt: new Date().toISOString(),
    };
    await drizzle(c.env.DB).batch([
      updateIssuerStatement(c.env, issuer, set),
      auditStatement(
        c.env,
        caller,
        { action: "issuer.update", target: issuer, detail: { status: body.status, crls: body.crls?.length } },
        c.get("requestId"),
      ),
    ]);
    invalidateTrustList();
    return c.json(present(fromRow({ ...existing, ...set })), 200);
  })
  .openapi(refreshIssuer, async (c) => {
    const caller = personCaller(c);
    const { issuer } = c.req.valid("param");
    const existing = await findIssuerRow(c.env, issuer);
    if (!existing) throw notFound("No such trusted issuer");
    if (!existing.jwksUri) throw invalid([{ path: "issuer", message: "has inline keys; nothing to fetch" }]);
    const refreshed = await refreshIssuerKeys(c.env, fromRow(existing));
    await auditStatement(
      c.env,
      caller,
      { action: "issuer.refresh", target: issuer, detail: { error: refreshed.lastRefreshError } },
      c.get("requestId"),
    );
    invalidateTrustList();
    return c.json(present(refreshed), 200);
  })
  .openapi(deleteIssuer, async (c) => {
    const caller = personCaller(c);
    const { issuer } = c.req.valid("param");
    if (!(await findIssuerRow(c.env, issuer))) throw notFound("No such trusted issuer");
    await drizzle(c.env.DB).batch([
      deleteIssuerStatement(c.env, issuer),
      auditStatement(c.env, caller, { action: "issuer.remove", target: issuer }, c.get("requestId")),
    ]);
    invalidateTrustList();
    return c.body(null, 204);
  })
  .openapi(metadata, (c) => {
    const self = ourIssuer(c.env);
    c.header("access-control-allow-origin", "*");
    c.header("cache-control", "public, max-age=3600");
    return c.json(
      {
        issuer: self.issuer,
        name: self.name,
        region_code: self.regionCode,
        jwks_uri: `${self.issuer}/.well-known/jwks.json`,
        crl_uri_template: `${self.issuer}/.well-known/crl/{kid}.json`,
        verifier_bundle_uri: `${self.issuer}/v1/verifier-bundle`,
        code_format: "hc+jwt" as const,
        code_typ: "hc+jwt" as const,
        algorithms: ["ES256"],
        revocation_method: "rid" as const,
      },
      200,
    );
  });
