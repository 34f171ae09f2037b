import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import {
  CreateLabBody,
  LabCreatedSchema,
  LabIdParam,
  LabKeyIssuedSchema,
  LabKeyParams,
  LabListSchema,
} from "../../schema/wire/authority";
import { errorResponses, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { audit, auditStatement } from "../audit/log";
import { issueKey, revokeKey } from "../auth/api-keys";
import type { Caller } from "../auth/caller";
import { randomId } from "../auth/hashing";
import { authorityAuth, personCaller } from "../auth/middleware";
import { notFound } from "../http/problems";
import { findLab, insertLabStatement, listLabs } from "./labs-repo";

const actorOf = (c: Parameters<typeof personCaller>[0]) => {
  const caller = personCaller(c);
  return { caller, subject: caller.actor };
};

const createLab = createRoute({
  method: "post",
  path: "/v1/authority/labs",
  tags: ["Authority"],
  summary: "Register a testing lab; its key is shown once",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateLabBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LabCreatedSchema } } },
    ...errorResponses,
  },
});

const listLabsRoute = createRoute({
  method: "get",
  path: "/v1/authority/labs",
  tags: ["Authority"],
  summary: "Labs and their keys (ids and dates only, never the keys)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Labs", content: { "application/json": { schema: LabListSchema } } },
    ...errorResponses,
  },
});

const issueLabKey = createRoute({
  method: "post",
  path: "/v1/authority/labs/{labId}/keys",
  tags: ["Authority"],
  summary: "Issue an additional key for a lab (e.g. to rotate); shown once",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: LabIdParam },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: LabKeyIssuedSchema } } },
    ...errorResponses,
  },
});

const revokeLabKey = createRoute({
  method: "delete",
  path: "/v1/authority/labs/{labId}/keys/{keyId}",
  tags: ["Authority"],
  summary: "Revoke a lab key; requests with it are refused from then on",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: LabKeyParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses },
});

/** Issues a lab key (shown once) and audits it; the answer of both key-issuing routes. */
async function issueAuditedLabKey(
  env: Env,
  caller: Caller,
  labId: string,
  label: string,
  requestId: string,
): Promise<{ labId: string; keyId: string; labKey: string }> {
  const { keyId, key } = await issueKey(env, "lab", labId, label);
  await audit(env, caller, { action: "lab.key.issue", target: labId, detail: { keyId } }, requestId);
  return { labId, keyId, labKey: key };
}

export const labAdminRoutes = newApp()
  .openapi(createLab, async (c) => {
    const { caller, subject } = actorOf(c);
    const { name } = c.req.valid("json");
    const labId = randomId("lab");
    await drizzle(c.env.DB).batch([
      insertLabStatement(c.env, { labId, name, createdAt: new Date().toISOString(), createdBy: subject }),
      auditStatement(
        c.env,
        caller,
        { action: "lab.create", target: labId, detail: { name } },
        c.get("requestId"),
      ),
    ]);
    return c.json(await issueAuditedLabKey(c.env, caller, labId, "initial", c.get("requestId")), 201);
  })
  .openapi(listLabsRoute, async (c) => c.json({ labs: await listLabs(c.env) }, 200))
  .openapi(issueLabKey, async (c) => {
    const { caller } = actorOf(c);
    const { labId } = c.req.valid("param");
    if (!(await findLab(c.env, labId))) throw notFound("No such lab");
    return c.json(await issueAuditedLabKey(c.env, caller, labId, "rotated", c.get("requestId")), 201);
  })
  .openapi(revokeLabKey, async (c) => {
    const { caller } = actorOf(c);
    const { labId, keyId } = c.req.valid("param");
    if (!(await revokeKey(c.env, labId, keyId))) throw notFound("No live key with that id for this lab");
    await audit(
      c.env,
      caller,
      { action: "lab.key.revoke", target: labId, detail: { keyId } },
      c.get("requestId"),
    );
    return c.body(null, 204);
  });
