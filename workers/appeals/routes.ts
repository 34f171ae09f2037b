import { createRoute, type z } from "@hono/zod-openapi";
import type { AuthorityEventFact, CheckInVoidedFact } from "../../durable/rules/facts";
import type { AppealRow } from "../../schema/d1/appeals";
import {
  AnswerAppealBody,
  AppealIdParam,
  AppealListQuery,
  AppealListSchema,
  AppealSchema,
  AuthorityAppealListSchema,
  CreateAppealBody,
} from "../../schema/wire/appeals";
import { errorResponses, PersonIdParam, problems, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { randomId } from "../auth/hashing";
import { authorityAuth, personAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, invalid, notFound } from "../http/problems";
import { decryptPii, encryptPii } from "../identity/pii";
import { requireManaged } from "../persons/access";
import { appealAge } from "./age";
import { answerStatement, appealsByState, appealsOfPerson, findAppeal, insertAppealStatement } from "./repo";

/** Open appeals a person may have at once: enough for real use, not a way to flood the authority. */
export const MAX_OPEN_APPEALS = 10;

type AppealEvent = z.infer<typeof AnswerAppealBody>["event"];

export const appealFactId = (appealId: string) => `event:appeal:${appealId}`;

async function present(env: Env, row: AppealRow): Promise<z.infer<typeof AppealSchema>> {
  const [text, evidenceRef, answer] = await Promise.all([
    decryptPii(config(env).piiKey, row.textEnc),
    row.evidenceRefEnc ? decryptPii(config(env).piiKey, row.evidenceRefEnc) : undefined,
    row.answerEnc ? decryptPii(config(env).piiKey, row.answerEnc) : undefined,
  ]);
  return {
    appealId: row.appealId,
    personId: row.personId,
    kind: row.kind,
    text,
    ...(evidenceRef !== undefined ? { evidenceRef } : {}),
    state: row.state,
    createdAt: row.createdAt,
    ...(answer !== undefined ? { answer } : {}),
    ...(row.answeredAt ? { answeredAt: row.answeredAt } : {}),
    ...(row.event ? { event: JSON.parse(row.event) as NonNullable<AppealEvent> } : {}),
    ...(row.checkInId ? { checkInId: row.checkInId } : {}),
    ...(row.upheld !== null ? { upheld: row.upheld } : {}),
  };
}

export const voidFactId = (checkInId: string) => `voided:${checkInId}`;

/**
 * An upheld appeal against a check-in: the venue's and the person's copies are marked void (later
 * designations skip it) and the
 * person object gets a void fact, which removes every exposure from that check-in from evaluation and
 * is named in the history entry of the change it causes. Both idempotent, so a retried answer finishes.
 */
async function voidCheckIn(env: Env, row: AppealRow, actor: string): Promise<void> {
  if (!row.checkInId || !row.upheld) return;
  const at = row.answeredAt ?? new Date().toISOString();
  const person = env.PERSON.getByName(row.personId);
  const visit = await person.checkIn(row.checkInId);
  if (visit) await env.VENUE.getByName(visit.venueId).voidCheckIn(row.checkInId, at);
  await person.voidCheckIn(row.checkInId, at);
  const fact: CheckInVoidedFact = {
    kind: "checkin_voided",
    id: voidFactId(row.checkInId),
    checkInId: row.checkInId,
    voidedAt: at,
    reason: "Appeal upheld: this check-in was not made by the person",
    actor: row.answeredBy ?? actor,
    appealId: row.appealId,
  };
  await person.addFacts([fact]);
}

const create = createRoute({
  method: "post",
  path: "/v1/persons/{personId}/appeals",
  tags: ["People's services"],
  summary: "Appeal the colour of a person you manage, or ask a question",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: {
    params: PersonIdParam,
    body: { required: true, content: { "application/json": { schema: CreateAppealBody } } },
  },
  responses: {
    201: { description: "Filed", content: { "application/json": { schema: AppealSchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

const listMine = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/appeals",
  tags: ["People's services"],
  summary: "The person's appeals and questions, newest first, with their state and answer",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: { description: "Appeals", content: { "application/json": { schema: AppealListSchema } } },
    ...errorResponses,
  },
});

const listAll = createRoute({
  method: "get",
  path: "/v1/authority/appeals",
  tags: ["Authority"],
  summary: "Appeals oldest first, with their age and whether they are past the target response time",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { query: AppealListQuery },
  responses: {
    200: { description: "Appeals", content: { "application/json": { schema: AuthorityAppealListSchema } } },
    ...errorResponses,
  },
});

const answerRoute = createRoute({
  method: "post",
  path: "/v1/authority/appeals/{id}/answer",
  tags: ["Authority"],
  summary:
    "Answer an appeal; an attached event is recorded on the person's code (the audited way a colour changes)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    params: AppealIdParam,
    body: { required: true, content: { "application/json": { schema: AnswerAppealBody } } },
  },
  responses: {
    200: { description: "Answered", content: { "application/json": { schema: AppealSchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

export const appealRoutes = newApp()
  .openapi(create, async (c) => {
    const caller = personCaller(c);
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, caller, personId);
    const body = c.req.valid("json");
    if (body.checkInId !== undefined) {
      if (body.kind !== "appeal")
        throw invalid([{ path: "kind", message: 'must be "appeal" to appeal a check-in' }]);
      if (!(await c.env.PERSON.getByName(personId).checkIn(body.checkInId)))
        throw invalid([{ path: "checkInId", message: "is not one of this person's check-ins" }]);
    }
    const open = (await appealsOfPerson(c.env, personId)).filter((a) => a.state === "open").length;
    if (open >= MAX_OPEN_APPEALS) {
      throw conflict(`At most ${MAX_OPEN_APPEALS} appeals may be open at once; wait for an answer`, {
        limit: MAX_OPEN_APPEALS,
      });
    }
    const row: AppealRow = {
      appealId: randomId("ap"),
      personId,
      accountId: caller.accountId,
      kind: body.kind,
      textEnc: await encryptPii(config(c.env).piiKey, body.text),
      evidenceRefEnc: body.evidenceRef ? await encryptPii(config(c.env).piiKey, body.evidenceRef) : null,
      state: "open",
      createdAt: new Date().toISOString(),
      answerEnc: null,
      answeredAt: null,
      answeredBy: null,
      event: null,
      checkInId: body.checkInId ?? null,
      upheld: null,
    };
    await insertAppealStatement(c.env, row);
    return c.json(await present(c.env, row), 201);
  })
  .openapi(listMine, async (c) => {
    const { personId } = c.req.valid("param");
    await requireManaged(c.env, personCaller(c), personId);
    const rows = await appealsOfPerson(c.env, personId);
    c.header("cache-control", "no-store");
    return c.json({ appeals: await Promise.all(rows.map((r) => present(c.env, r))) }, 200);
  })
  .openapi(listAll, async (c) => {
    const caller = personCaller(c);
    const { state, limit } = c.req.valid("query");
    const targetHours = config(c.env).appealTargetHours;
    const rows = await appealsByState(c.env, state, limit ?? 100);
    // Reading appeals shows staff personal data: audited like any look-up.
    await audit(
      c.env,
      caller,
      { action: "appeal.list", detail: { state: state ?? null, count: rows.length } },
      c.get("requestId"),
    );
    const now = new Date();
    const appeals = await Promise.all(
      rows.map(async (r) => ({
        ...(await present(c.env, r)),
        ...appealAge(r.createdAt, r.state, now, targetHours),
      })),
    );
    c.header("cache-control", "no-store");
    return c.json({ appeals, targetHours }, 200);
  })
  .openapi(answerRoute, async (c) => {
    const caller = personCaller(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const existing = await findAppeal(c.env, id);
    if (!existing) throw notFound("No such appeal");
    if (body.upheld !== undefined && !existing.checkInId)
      throw invalid([{ path: "upheld", message: "only for an appeal that names a checkInId" }]);
    const upheld = existing.checkInId ? (body.upheld ?? false) : null;
    const actor = caller.actor;
    const eventJson = body.event ? JSON.stringify(body.event) : null;
    const answeredAt = new Date().toISOString();
    const updated = await answerStatement(c.env, existing, {
      answerEnc: await encryptPii(config(c.env).piiKey, body.answer),
      answeredAt,
      answeredBy: actor,
      event: eventJson,
      upheld,
    });
    let row: AppealRow;
    if (updated.length === 0) {
      // Already answered: the same answer sent again (a retry after a lost reply) is fine and
      // finishes what the first call may not have; a different one is a conflict.
      const current = (await findAppeal(c.env, id, existing.personId))!;
      const same =
        current.event === eventJson &&
        current.upheld === upheld &&
        current.answerEnc !== null &&
        (await decryptPii(config(c.env).piiKey, current.answerEnc)) === body.answer;
      if (!same) throw conflict("This appeal has already been answered");
      row = current;
    } else {
      row = (await findAppeal(c.env, id, existing.personId))!;
      await audit(
        c.env,
        caller,
        {
          action: "appeal.answer",
          target: existing.personId,
          reason: body.event?.reason ?? null,
          detail: {
            appealId: id,
            event: body.event?.kind ?? null,
            ...(existing.checkInId ? { checkInId: existing.checkInId, upheld } : {}),
          },
        },
        c.get("requestId"),
      );
    }
    if (row.event) {
      const event = JSON.parse(row.event) as NonNullable<AppealEvent>;
      const fact: AuthorityEventFact = {
        kind: "authority_event",
        id: appealFactId(id),
        event: event.kind,
        occurredAt: event.occurredAt,
        reason: event.reason,
        actor: row.answeredBy ?? actor,
      };
      await c.env.PERSON.getByName(row.personId).addFacts([fact]);
    }
    await voidCheckIn(c.env, row, actor);
    return c.json(await present(c.env, row), 200);
  });
