import { createRoute } from "@hono/zod-openapi";
import type { Decision } from "../../durable/managers";
import { adultOnFrom } from "../../durable/managers";
import { isDistrictCode } from "../../schema/districts";
import { errorResponses, problems, security } from "../../schema/wire/common";
import { ApplyPersonBody, PendingApplicationSchema, PersonSummarySchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuditStatement } from "../audit/log";
import { randomId } from "../auth/hashing";
import { personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, forbidden, invalid, tooMany } from "../http/problems";
import { checkIdentity } from "../identity/documents";
import { maskName } from "../identity/masking";
import { derivePersonId } from "../identity/person-id";
import { encryptPii } from "../identity/pii";
import { nameMac } from "./name-mac";
import {
  PROXY_REQUESTS_PER_DAY,
  refundProxyRequest,
  secondsToShanghaiMidnight,
  takeProxyRequest,
} from "./quota";
import { binding, deleteBindings, relativeCount, savePerson, selfBinding, upsertBinding } from "./repo";

export const MAX_RELATIVES = 5;

/**
 * One answer for every refusal on the record's grounds (a name that does not match, an identity held
 * by another login, a request the person denied), so a refusal tells nothing about the record.
 */
export const refusal = () => forbidden("This application cannot be accepted for this identity");

const route = createRoute({
  method: "post",
  path: "/v1/persons",
  tags: ["Persons"],
  summary: "Apply for a health code, for yourself or a relative",
  description:
    "A relative's application for a person who has their own account is a pending request (202) the person " +
    "approves or denies; the name must match the record. At most " +
    `${PROXY_REQUESTS_PER_DAY} new requests or refusals an account a day (Asia/Shanghai), 429 beyond.`,
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: ApplyPersonBody } } } },
  responses: {
    200: {
      description: "Already applied: the same person",
      content: { "application/json": { schema: PersonSummarySchema } },
    },
    201: { description: "Applied", content: { "application/json": { schema: PersonSummarySchema } } },
    202: {
      description: "The person has their own account: a request they approve or deny",
      content: { "application/json": { schema: PendingApplicationSchema } },
    },
    409: problems[409],
    429: problems[429],
    ...errorResponses,
  },
});

export const applyRoutes = newApp().openapi(route, async (c) => {
  const caller = personCaller(c);
  const body = c.req.valid("json");
  const check = checkIdentity(body);
  if (!check.ok) throw invalid(check.errors);
  const identity = check.identity;
  const personId = await derivePersonId(config(c.env).personIdKey, identity);

  const asserted = caller.asserted ? checkIdentity(caller.asserted) : null;
  const assertedPersonId =
    asserted?.ok === true ? await derivePersonId(config(c.env).personIdKey, asserted.identity) : null;
  const provesIdentity = assertedPersonId === personId;
  const selfApp = body.relationship === "self";
  const provenSelf = selfApp && provesIdentity;

  const existing = await binding(c.env, caller.accountId, personId);
  if (selfApp) {
    if (assertedPersonId && !provesIdentity) {
      throw forbidden("A self application must match the identity your login asserts");
    }
    const own = await selfBinding(c.env, caller.accountId);
    if (own && own.personId !== personId)
      throw conflict("This account already holds a self code for another person");
  } else if (!existing && (await relativeCount(c.env, caller.accountId)) >= MAX_RELATIVES) {
    throw conflict(`An account may manage at most ${MAX_RELATIVES} relatives besides itself`, {
      limit: MAX_RELATIVES,
    });
  }

  // Counted before the object is asked, so concurrent probes cannot all pass; given back below when
  // the application turns out to be a repeat or binds at once.
  const now = new Date();
  const counted = !provenSelf && !existing;
  const count = counted ? await takeProxyRequest(c.env, caller.accountId, now) : 0;
  const recordName = provenSelf && caller.asserted?.name ? caller.asserted.name : body.name;
  const [typedMac, assertedMac] = await Promise.all([
    nameMac(config(c.env).piiKey, body.name),
    recordName !== body.name ? nameMac(config(c.env).piiKey, recordName) : null,
  ]);
  const stub = c.env.PERSON.getByName(personId);
  const decision = await stub.applyManager(
    {
      accountId: caller.accountId,
      relationship: body.relationship,
      proven: provenSelf,
      nameMac: typedMac,
      assertedNameMac: assertedMac,
      allowNew: count <= PROXY_REQUESTS_PER_DAY,
      newId: randomId("mgr"),
      now: now.toISOString(),
    },
    identity.birthDate ? adultOnFrom(identity.birthDate) : null,
  );
  const outcome = decision.outcome;
  const filed =
    (outcome.kind === "refused" && outcome.reason !== "denied") ||
    (outcome.kind === "pending" && outcome.created);
  if (counted && !filed && outcome.kind !== "quota") await refundProxyRequest(c.env, caller.accountId, now);

  const audited = !selfApp || outcome.kind !== "bound" || decision.unbound.length > 0;
  const auditRow = personAuditStatement(
    c.env,
    caller,
    personId,
    {
      action: selfApp ? "person.self_apply" : "person.proxy_apply",
      detail: auditDetail(body.relationship, decision),
    },
    c.get("requestId"),
  );

  if (outcome.kind === "quota") {
    await auditRow;
    throw tooMany(
      `An account may file at most ${PROXY_REQUESTS_PER_DAY} new requests for other persons a day`,
      secondsToShanghaiMidnight(now.getTime()),
    );
  }
  if (outcome.kind === "refused") {
    await auditRow;
    throw refusal();
  }
  if (outcome.kind === "pending") {
    // Nothing to read until the person approves: no D1 copy of a binding (a stale one is dropped).
    await deleteBindings(c.env, personId, [caller.accountId]);
    await auditRow;
    return c.json(
      {
        personId,
        status: "pending" as const,
        requestId: outcome.manager.id,
        expiresAt: outcome.manager.expiresAt!,
      },
      202,
    );
  }

  const at = now.toISOString();
  const districtCode =
    identity.idType === "resident_id" && isDistrictCode(identity.idNumber.slice(0, 6))
      ? identity.idNumber.slice(0, 6)
      : null;
  const maskedName = maskName(recordName);
  const nameEnc = await encryptPii(config(c.env).piiKey, recordName);
  const manager = outcome.manager;
  // The directory row on the person's shard, the bindings on their accounts' shards, then the audit
  // row in the registry: separate databases, each write idempotent, so a retry completes them all.
  const person = {
    personId,
    idType: identity.idType,
    nameEnc,
    phoneEnc: await encryptPii(config(c.env).piiKey, body.phone),
    maskedName,
    nationality: identity.nationality ?? null,
    districtCode,
    createdAt: at,
  };
  await Promise.all([
    savePerson(c.env, person, decision.name !== null),
    upsertBinding(c.env, {
      accountId: caller.accountId,
      personId,
      relationship: manager.relationship,
      verified: manager.proven,
      createdAt: manager.createdAt,
    }),
    decision.unbound.length > 0 ? deleteBindings(c.env, personId, decision.unbound) : null,
  ]);
  if (audited) await auditRow;
  const state = await stub.init({ personId, districtCode });
  return c.json(
    {
      personId,
      maskedName,
      relationship: manager.relationship,
      color: state.color,
      since: state.since,
      version: state.version,
    },
    outcome.created ? 201 : 200,
  );
});

function auditDetail(relationship: string, decision: Decision): Record<string, unknown> {
  const o = decision.outcome;
  return {
    relationship,
    outcome: o.kind === "bound" ? (o.created ? "bound" : "already_bound") : o.kind,
    ...(o.kind === "refused" ? { reason: o.reason } : {}),
    ...(o.kind === "pending" ? { requestId: o.manager.id, created: o.created } : {}),
    ...(decision.unbound.length > 0 ? { displaced: decision.unbound.length } : {}),
  };
}
