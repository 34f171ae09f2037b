import { createRoute } from "@hono/zod-openapi";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import { StatusSchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { notFound } from "../http/problems";
import { requireManaged } from "./access";

const route = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/status",
  tags: ["Persons"],
  summary: "Why the code has its colour, what lifts it, and every change with its cause",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: { description: "Status", content: { "application/json": { schema: StatusSchema } } },
    ...errorResponses,
  },
});

export const statusRoutes = newApp().openapi(route, async (c) => {
  const { personId } = c.req.valid("param");
  await requireManaged(c.env, personCaller(c), personId);
  const status = await c.env.PERSON.getByName(personId).status();
  if (!status) throw notFound("This person has no code yet; apply first");
  const { state, history, notices } = status;
  c.header("cache-control", "no-store");
  return c.json(
    {
      color: state.color,
      version: state.version,
      since: state.since,
      reviewAt: state.reviewAt,
      ruleSetVersion: state.ruleSetVersion,
      reasons: state.reasons,
      history: [
        ...history.map((h) => ({ type: "color_change" as const, ...h })),
        ...notices.map((n) => ({ type: "notice" as const, ...n })),
      ].sort((a, b) => b.at.localeCompare(a.at)),
    },
    200,
  );
});
