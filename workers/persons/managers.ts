import { createRoute } from "@hono/zod-openapi";
import { errorResponses, PersonIdParam, problems, security } from "../../schema/wire/common";
import { ManagerListSchema, ManagerParams, ManagerSchema, RequestParams } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuditStatement } from "../audit/log";
import type { PersonCaller } from "../auth/caller";
import { personAuth, personCaller } from "../auth/middleware";
import { conflict, forbidden, notFound } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { MAX_RELATIVES } from "./apply";
import { deleteBindings, relativeCount, upsertBinding } from "./repo";

const ownOnly = () => forbidden("Only the person's own account manages who manages them");

const list = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/managers",
  tags: ["Persons"],
  summary: "The accounts that manage this person and the pending requests (the person's own account only)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: { description: "Managers", content: { "application/json": { schema: ManagerListSchema } } },
    ...errorResponses,
  },
});

const answer = (verb: "approve" | "deny") =>
  createRoute({
    method: "post",
    path: `/v1/persons/{personId}/managers/{requestId}/${verb}`,
    tags: ["Persons"],
    summary:
      verb === "approve"
        ? "Approve a request to manage this person (the person's own account only)"
        : "Deny a request to manage this person; a denial stands for 7 days",
    security: security.idToken,
    middleware: [personAuth] as const,
    request: { params: RequestParams },
    responses: {
      200: {
        description: "The request, answered",
        content: { "application/json": { schema: ManagerSchema } },
      },
      409: problems[409],
      ...errorResponses,
    },
  });

const remove = createRoute({
  method: "delete",
  path: "/v1/persons/{personId}/managers/{managerId}",
  tags: ["Persons"],
  summary: "Remove a manager (or withdraw a pending request) at once (the person's own account only)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: ManagerParams },
  responses: {
    204: { description: "Removed" },
    409: problems[409],
    ...errorResponses,
  },
});

function view(m: {
  id: string;
  relationship: "self" | "parent" | "child" | "spouse" | "other";
  status: string;
  proven: boolean;
  createdAt: string;
  expiresAt: string | null;
  displacedSelf: boolean;
}) {
  return {
    managerId: m.id,
    relationship: m.relationship,
    status: m.status === "active" ? ("active" as const) : ("pending" as const),
    proven: m.proven,
    self: m.relationship === "self",
    you: false,
    displacedSelf: m.displacedSelf,
    since: m.createdAt,
    expiresAt: m.expiresAt,
  };
}

export const managerRoutes = newApp()
  .openapi(list, async (c) => {
    const { personId } = c.req.valid("param");
    const managers = isPersonId(personId)
      ? await c.env.PERSON.getByName(personId).managerList(personCaller(c).accountId)
      : null;
    if (!managers) throw ownOnly();
    c.header("cache-control", "no-store");
    return c.json({ managers }, 200);
  })
  .openapi(answer("approve"), async (c) => {
    const { personId, requestId } = c.req.valid("param");
    return c.json(
      await answerRequest(c.env, personCaller(c), personId, requestId, "approve", c.get("requestId")),
      200,
    );
  })
  .openapi(answer("deny"), async (c) => {
    const { personId, requestId } = c.req.valid("param");
    return c.json(
      await answerRequest(c.env, personCaller(c), personId, requestId, "deny", c.get("requestId")),
      200,
    );
  })
  .openapi(remove, async (c) => {
    const { personId, managerId } = c.req.valid("param");
    const caller = personCaller(c);
    if (!isPersonId(personId)) throw ownOnly();
    const result = await c.env.PERSON.getByName(personId).removeManagerBy(caller.accountId, managerId);
    if (!result.ok) {
      if (result.reason === "not_self") throw ownOnly();
      if (result.reason === "yourself") throw conflict("You cannot remove your own account");
      throw notFound("No such manager of this person");
    }
    // The object's word already refuses the removed account; the D1 copy follows (a retry repeats it).
    await deleteBindings(c.env, personId, [result.manager.accountId]);
    await personAuditStatement(
      c.env,
      caller,
      personId,
      {
        action: "person.manager_remove",
        detail: { managerId, relationship: result.manager.relationship, changed: result.changed },
      },
      c.get("requestId"),
    );
    return c.body(null, 204);
  });

/** Approves or denies a request; the D1 copy of the binding follows the object's answer. */
async function answerRequest(
  env: Env,
  caller: PersonCaller,
  personId: string,
  requestId: string,
  verb: "approve" | "deny",
  httpRequestId: string | undefined,
) {
  if (!isPersonId(personId)) throw ownOnly();
  const stub = env.PERSON.getByName(personId);
  if (verb === "approve") {
    // The applicant's limit of five relatives still holds when the person says yes.
    const account = await stub.requestAccount(caller.accountId, requestId);
    if (account && (await relativeCount(env, account)) >= MAX_RELATIVES)
      throw conflict(`The applicant already manages ${MAX_RELATIVES} relatives`, { limit: MAX_RELATIVES });
  }
  const result = await stub.answerManager(caller.accountId, requestId, verb);
  if (!result.ok) {
    if (result.reason === "not_self") throw ownOnly();
    if (result.reason === "unknown") throw notFound("No such request for this person");
    throw conflict(
      result.reason === "expired" ? "This request has lapsed" : "This request was already answered",
    );
  }
  const m = result.manager;
  // The binding on the account's shard, then the audit row (a retry repeats both idempotently).
  await (verb === "approve"
    ? upsertBinding(env, {
        accountId: m.accountId,
        personId,
        relationship: m.relationship,
        verified: m.proven,
        createdAt: m.createdAt,
      })
    : deleteBindings(env, personId, [m.accountId]));
  await personAuditStatement(
    env,
    caller,
    personId,
    {
      action: verb === "approve" ? "person.manager_approve" : "person.manager_deny",
      detail: { requestId, relationship: m.relationship, changed: result.changed },
    },
    httpRequestId,
  );
  return view(m);
}
