import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { errorResponses, problems, security } from "../../schema/wire/common";
import { ApplyPersonBody, PersonSummarySchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { conflict, forbidden, invalid } from "../http/problems";
import { isDistrictCode } from "../identity/districts";
import { checkIdentity } from "../identity/documents";
import { maskName } from "../identity/masking";
import { derivePersonId } from "../identity/person-id";
import { encryptPii } from "../identity/pii";
import {
  binding,
  insertBindingStatement,
  insertPersonStatement,
  managingAccounts,
  relativeCount,
  selfBinding,
} from "./repo";

export const MAX_RELATIVES = 5;

const route = createRoute({
  method: "post",
  path: "/v1/persons",
  tags: ["Persons"],
  summary: "Apply for a health code, for yourself or a relative",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: ApplyPersonBody } } } },
  responses: {
    200: {
      description: "Already applied: the same person",
      content: { "application/json": { schema: PersonSummarySchema } },
    },
    201: { description: "Applied", content: { "application/json": { schema: PersonSummarySchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

export const applyRoutes = newApp().openapi(route, async (c) => {
  const caller = personCaller(c);
  const body = c.req.valid("json");
  const check = checkIdentity(body);
  if (!check.ok) throw invalid(check.errors);
  const identity = check.identity;
  const personId = await derivePersonId(c.env.PERSON_ID_KEY, identity);

  const asserted = caller.asserted ? checkIdentity(caller.asserted) : null;
  const assertedPersonId =
    asserted?.ok === true ? await derivePersonId(c.env.PERSON_ID_KEY, asserted.identity) : null;
  const provesIdentity = assertedPersonId === personId;

  const existing = await binding(c.env, caller.accountId, personId);
  if (body.relationship === "self") {
    if (assertedPersonId && !provesIdentity) {
      throw forbidden("A self application must match the identity your login asserts");
    }
    const own = await selfBinding(c.env, caller.accountId);
    if (own && own.personId !== personId)
      throw conflict("This account already holds a self code for another person");
    if (existing?.relationship !== "self") {
      const holders = await managingAccounts(c.env, personId);
      const heldAsSelf = holders.some((h) => h.relationship === "self" && h.accountId !== caller.accountId);
      // Knowing a name and number must not be enough to take someone's code.
      if (heldAsSelf && !provesIdentity) {
        throw forbidden("This identity already has a code; sign in with a login that verifies it to bind it");
      }
    }
  } else if (!existing && (await relativeCount(c.env, caller.accountId)) >= MAX_RELATIVES) {
    throw conflict(`An account may manage at most ${MAX_RELATIVES} relatives besides itself`, {
      limit: MAX_RELATIVES,
    });
  }

  const at = new Date().toISOString();
  const districtCode =
    identity.idType === "resident_id" && isDistrictCode(identity.idNumber.slice(0, 6))
      ? identity.idNumber.slice(0, 6)
      : null;
  const maskedName = maskName(body.name);
  if (!existing) {
    const othersBefore = await managingAccounts(c.env, personId);
    const db = drizzle(c.env.DB);
    await db.batch([
      insertPersonStatement(c.env, {
        personId,
        idType: identity.idType,
        nameEnc: await encryptPii(c.env.PII_KEY, body.name),
        phoneEnc: await encryptPii(c.env.PII_KEY, body.phone),
        maskedName,
        nationality: identity.nationality ?? null,
        districtCode,
        createdAt: at,
      }),
      insertBindingStatement(c.env, {
        accountId: caller.accountId,
        personId,
        relationship: body.relationship,
        verified: provesIdentity,
        createdAt: at,
      }),
    ]);
    if (othersBefore.length > 0) {
      // The person's own accounts learn that someone else now manages their code.
      await c.env.PERSON.getByName(personId).addNotice({
        kind: "manager_added",
        at,
        relationship: body.relationship,
        text: {
          zh: `另一个账户以"${body.relationship}"关系添加了您的健康码`,
          en: `Another account added your health code as ${body.relationship}`,
        },
      });
    }
  }
  const stub = c.env.PERSON.getByName(personId);
  const state = await stub.init({ personId, districtCode });
  return c.json(
    {
      personId,
      maskedName,
      relationship: existing?.relationship ?? body.relationship,
      color: state.color,
      since: state.since,
      version: state.version,
    },
    existing ? 200 : 201,
  );
});
