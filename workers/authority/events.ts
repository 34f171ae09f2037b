import { createRoute, z } from "@hono/zod-openapi";
import type { AuthorityEventFact } from "../../durable/rules/facts";
import { AuthorityEventAccepted, AuthorityEventBody } from "../../schema/wire/authority";
import { errorResponses, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { sha256 } from "../auth/hashing";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid } from "../http/problems";
import { checkIdentity } from "../identity/documents";
import { derivePersonId } from "../identity/person-id";
import { encodeBase64url } from "../lib/base64url";
import { logAuthorityEvent } from "../log/publish";

const EVENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Without a client-given id, the same request body always gives the same id, so a retried request
 * adds nothing. It hashes the person id (a keyed HMAC), never the identity number itself.
 */
export async function derivedEventId(
  personId: string,
  kind: string,
  occurredAt: string,
  reason: string,
): Promise<string> {
  return `h_${encodeBase64url((await sha256(JSON.stringify([personId, kind, occurredAt, reason]))).slice(0, 18))}`;
}

const route = createRoute({
  method: "post",
  path: "/v1/authority/events",
  tags: ["Authority"],
  summary:
    "Record a confirmed case, close or secondary contact, or release; the reason is shown to the person",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().max(64).optional() }),
    body: { required: true, content: { "application/json": { schema: AuthorityEventBody } } },
  },
  responses: {
    202: { description: "Recorded", content: { "application/json": { schema: AuthorityEventAccepted } } },
    ...errorResponses,
  },
});

export const eventRoutes = newApp().openapi(route, async (c) => {
  const caller = personCaller(c);
  const body = c.req.valid("json");
  const header = c.req.valid("header")["idempotency-key"];
  if (header !== undefined && !EVENT_ID.test(header)) {
    throw invalid([{ path: "idempotency-key", message: "1 to 64 letters, digits, '.', '_', ':' or '-'" }]);
  }
  const id = checkIdentity(body);
  if (!id.ok) throw invalid(id.errors);
  const personId = await derivePersonId(config(c.env).personIdKey, id.identity);
  const occurredAt = new Date(body.occurredAt).toISOString();
  const eventId =
    body.eventId ?? header ?? (await derivedEventId(personId, body.kind, occurredAt, body.reason));
  const actor = caller.actor;
  const fact: AuthorityEventFact = {
    kind: "authority_event",
    id: `event:${eventId}`,
    event: body.kind,
    occurredAt,
    reason: body.reason,
    actor,
  };
  // Audited before it takes effect, so no event can change a colour without its record.
  await audit(
    c.env,
    caller,
    {
      action: `authority_event.${body.kind}`,
      target: personId,
      reason: body.reason,
      detail: { eventId, occurredAt },
    },
    c.get("requestId"),
  );
  await logAuthorityEvent(c.env, caller, {
    personId,
    eventId,
    kind: body.kind,
    reason: body.reason,
    at: occurredAt,
  });
  const result = await c.env.PERSON.getByName(personId).addFacts([fact]);
  return c.json({ personId, eventId, color: result.state.color }, 202);
});
