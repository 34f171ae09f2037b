import { createRoute } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import { PersonListSchema } from "../../schema/wire/persons";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { managedPersons } from "./repo";

const route = createRoute({
  method: "get",
  path: "/v1/persons",
  tags: ["Persons"],
  summary: "The persons this account manages (itself and relatives), with masked names and colours",
  security: security.idToken,
  middleware: [personAuth] as const,
  responses: {
    200: { description: "Persons", content: { "application/json": { schema: PersonListSchema } } },
    401: errorResponses[401],
  },
});

export const listRoutes = newApp().openapi(route, async (c) => {
  const caller = personCaller(c);
  const rows = await managedPersons(c.env, caller.accountId);
  // The object decides: a D1 row left behind by an interrupted removal shows nothing.
  const listed = await Promise.all(
    rows.map(async (r) => {
      const { access, summary: s } = await c.env.PERSON.getByName(r.personId).accessAndSummary(
        caller.accountId,
      );
      if (!access) return null;
      return {
        personId: r.personId,
        maskedName: r.maskedName,
        relationship: access.relationship,
        color: s?.color ?? ("green" as const),
        since: s?.since ?? r.createdAt,
        version: s?.version ?? 1,
      };
    }),
  );
  const persons = listed.filter((p) => p !== null);
  return c.json({ persons }, 200);
});
