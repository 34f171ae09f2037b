import { createRoute } from "@hono/zod-openapi";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import { CodeSchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { qrSvg } from "../codes/qr";
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
  request: { params: PersonIdParam },
  responses: {
    200: { description: "The code", content: { "application/json": { schema: CodeSchema } } },
    ...errorResponses,
  },
});

export const codeRoutes = newApp().openapi(route, async (c) => {
  const { personId } = c.req.valid("param");
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
  return c.json(
    { ...code, color: state.color, version: state.version, kind: "live" as const, qrSvg: qrSvg(code.token) },
    200,
  );
});
