import { createRoute } from "@hono/zod-openapi";
import { qrSvg } from "../../qr/svg";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import { CodeQuery, CodeSchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { signCode } from "../codes/sign";
import { config } from "../config";
import { forbidden, notFound } from "../http/problems";
import { isPersonId } from "../identity/person-id";
import { personRid } from "../revocation/rid";

const route = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/code",
  tags: ["Persons"],
  summary: "A fresh signed code (expires after CODE_TTL_SECONDS, so a screenshot goes stale)",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam, query: CodeQuery },
  responses: {
    200: { description: "The code", content: { "application/json": { schema: CodeSchema } } },
    ...errorResponses,
  },
});

export const codeRoutes = newApp().openapi(route, async (c) => {
  const { personId } = c.req.valid("param");
  const { qr } = c.req.valid("query");
  // One call answers both whether the caller manages the person (now, not a cached minute ago) and the colour.
  const { access, summary: state } = isPersonId(personId)
    ? await c.env.PERSON.getByName(personId).accessAndSummary(personCaller(c).accountId)
    : { access: null, summary: null };
  if (!access) throw forbidden("You do not manage this person");
  if (!state) throw notFound("This person has no code yet; apply first");
  const code = await signCode(
    c.env,
    {
      sub: personId,
      color: state.color,
      ver: state.version,
      rid: await personRid(config(c.env).personIdKey, personId),
    },
    config(c.env).codeTtlSeconds,
  );
  c.header("cache-control", "no-store");
  // Apps draw the QR from the token (most of a refresh's CPU was the SVG); only a client that cannot asks for it.
  const body = { ...code, color: state.color, version: state.version, kind: "live" as const };
  return c.json(qr === "svg" ? { ...body, qrSvg: qrSvg(code.token) } : body, 200);
});
