import { createRoute } from "@hono/zod-openapi";
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { TestResultFact } from "../../durable/rules/facts";
import { labs } from "../../schema/d1/keys";
import { errorResponses, PersonIdParam, security } from "../../schema/wire/common";
import { MyResultListSchema } from "../../schema/wire/my-results";
import { newApp } from "../app";
import { personAuth, personCaller } from "../auth/middleware";
import { requireManaged } from "../persons/access";

const route = createRoute({
  method: "get",
  path: "/v1/persons/{personId}/results",
  tags: ["People's services"],
  summary: "Every nucleic-acid and antibody result reported for the person, newest sample first",
  security: security.idToken,
  middleware: [personAuth] as const,
  request: { params: PersonIdParam },
  responses: {
    200: { description: "Results", content: { "application/json": { schema: MyResultListSchema } } },
    ...errorResponses,
  },
});

/** Newest sample first; same sample time → later report first, then by id so the order is total. */
export function newestFirst(facts: readonly TestResultFact[]): TestResultFact[] {
  return [...facts].sort(
    (a, b) =>
      Date.parse(b.sampledAt) - Date.parse(a.sampledAt) ||
      Date.parse(b.reportedAt) - Date.parse(a.reportedAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

// The person's object holds every result that decided their colour (it is the source of truth); D1
// only adds the labs' names.
export const resultRoutes = newApp().openapi(route, async (c) => {
  const { personId } = c.req.valid("param");
  await requireManaged(c.env, personCaller(c), personId);
  const facts = (await c.env.PERSON.getByName(personId).facts("test_result")) as TestResultFact[];
  const labIds = [...new Set(facts.map((f) => f.labId))];
  const names = new Map<string, string>();
  // D1 takes at most 100 bound parameters a query.
  for (let i = 0; i < labIds.length; i += 90) {
    const rows = await drizzle(c.env.DB)
      .select({ labId: labs.labId, name: labs.name })
      .from(labs)
      .where(inArray(labs.labId, labIds.slice(i, i + 90)))
      .all();
    for (const r of rows) names.set(r.labId, r.name);
  }
  c.header("cache-control", "no-store");
  return c.json(
    {
      results: newestFirst(facts).map((f) => ({
        resultId: f.id,
        labId: f.labId,
        labName: names.get(f.labId) ?? null,
        sampleId: f.sampleId,
        test: f.test,
        result: f.result,
        sampledAt: f.sampledAt,
        reportedAt: f.reportedAt,
      })),
    },
    200,
  );
});
