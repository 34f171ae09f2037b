import { createRoute } from "@hono/zod-openapi";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { RuleSetSchema } from "../../durable/rules/rule-set";
import { RuleSetListSchema, RuleSetPublishedSchema } from "../../schema/wire/authority";
import { errorResponses, ProblemSchema, security } from "../../schema/wire/common";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { conflict } from "../http/problems";
import { logRuleSet } from "../log/publish";
import { firstPage } from "./rule-set-fanout";
import { insertRuleSet, listRuleSets } from "./rule-sets-repo";

const publish = createRoute({
  method: "post",
  path: "/v1/authority/rule-sets",
  tags: ["Authority"],
  summary: "Publish a new rule-set version; every person is re-evaluated against it in the background",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: RuleSetSchema } } } },
  responses: {
    201: {
      description: "Published and active",
      content: { "application/json": { schema: RuleSetPublishedSchema } },
    },
    409: {
      description: "That version label is taken",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/v1/authority/rule-sets",
  tags: ["Authority"],
  summary: "Published rule-set versions, newest first; the first is active",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Versions", content: { "application/json": { schema: RuleSetListSchema } } },
    ...errorResponses,
  },
});

export const ruleSetRoutes = newApp()
  .openapi(publish, async (c) => {
    const caller = personCaller(c);
    const ruleSet = c.req.valid("json");
    const taken = ruleSet.version === DEFAULT_RULE_SET.version;
    if (taken || !(await insertRuleSet(c.env, ruleSet, `${caller.issuer}|${caller.subject}`))) {
      throw conflict(
        `Rule-set version ${ruleSet.version} already exists; publish changes under a new version`,
      );
    }
    await audit(
      c.env,
      caller,
      {
        action: "rule_set.publish",
        target: ruleSet.version,
        detail: { rules: ruleSet.rules.map((r) => `${r.id}@${r.version}`) },
      },
      c.get("requestId"),
    );
    await logRuleSet(c.env, caller, ruleSet);
    await c.env.INTAKE_QUEUE.send(firstPage(ruleSet.version), { contentType: "json" });
    return c.json({ version: ruleSet.version, active: true }, 201);
  })
  .openapi(list, async (c) => {
    const rows = await listRuleSets(c.env);
    return c.json(
      {
        ruleSets: [
          ...rows.map((r, i) => ({
            version: r.version,
            publishedAt: r.publishedAt,
            createdAt: r.createdAt,
            rules: (JSON.parse(r.body) as { rules: unknown[] }).rules.length,
            active: i === 0,
          })),
          // The built-in table of API.md decides until the authority publishes a version of its own.
          {
            version: DEFAULT_RULE_SET.version,
            publishedAt: DEFAULT_RULE_SET.publishedAt,
            createdAt: DEFAULT_RULE_SET.publishedAt,
            rules: DEFAULT_RULE_SET.rules.length,
            active: rows.length === 0,
          },
        ],
      },
      200,
    );
  });
