import { createRoute } from "@hono/zod-openapi";
import { activeRuleSet } from "../../durable/d1-reads";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { RuleSetSchema } from "../../durable/rules/rule-set";
import { RuleSetListSchema, RuleSetPublishedSchema } from "../../schema/wire/authority";
import { errorResponses, ProblemSchema, security } from "../../schema/wire/common";
import { PublishQuery } from "../../schema/wire/rule-previews";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict } from "../http/problems";
import { logRuleSet } from "../log/publish";
import { publishGate } from "./publish-gate";
import { directorySizeUpTo } from "./rule-preview-repo";
import { previewFacts } from "./rule-previews";
import { ruleSetDigest } from "./rule-set-digest";
import { startRuleSetFanout } from "./rule-set-fanout";
import { insertRuleSet, listRuleSets, ruleSetByVersion } from "./rule-sets-repo";

const publish = createRoute({
  method: "post",
  path: "/v1/authority/rule-sets",
  tags: ["Authority"],
  summary: "Publish a new rule-set version; every person is re-evaluated against it in the background",
  description:
    "A set that changes more persons' colours than RULE_CONFIRM_THRESHOLD needs `?previewId=` of a finished " +
    "preview of this same set, started within the hour against the version still in force, and " +
    "`confirm=true`. Without `previewId` the number is unknown, so publishing without one is refused " +
    "(409) once more than RULE_CONFIRM_THRESHOLD persons are registered.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: {
    query: PublishQuery,
    body: { required: true, content: { "application/json": { schema: RuleSetSchema } } },
  },
  responses: {
    201: {
      description: "Published and active",
      content: { "application/json": { schema: RuleSetPublishedSchema } },
    },
    409: {
      description:
        "The version label is taken, or the publication needs a (matching, finished, recent) preview or " +
        "confirmation; `changedPersons` says how many would change",
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
    const { previewId, confirm } = c.req.valid("query");
    const taken = () =>
      conflict(`Rule-set version ${ruleSet.version} already exists; publish changes under a new version`);
    if (ruleSet.version === DEFAULT_RULE_SET.version || (await ruleSetByVersion(c.env, ruleSet.version)))
      throw taken();
    const threshold = config(c.env).ruleConfirmThreshold;
    const [digest, active, preview, directorySize] = await Promise.all([
      ruleSetDigest(ruleSet),
      activeRuleSet(c.env),
      previewId ? previewFacts(c.env, previewId) : undefined,
      previewId ? undefined : directorySizeUpTo(c.env, threshold + 1),
    ]);
    const verdict = publishGate({
      threshold,
      confirm: confirm === "true",
      digest,
      activeVersion: active?.ruleSet.version ?? DEFAULT_RULE_SET.version,
      now: Date.now(),
      preview,
      directorySize,
    });
    if (!verdict.ok) {
      await audit(
        c.env,
        caller,
        {
          action: "rule_set.publish_refused",
          target: ruleSet.version,
          detail: { refusal: verdict.reason, previewId: previewId ?? null, ...verdict.extra },
        },
        c.get("requestId"),
      );
      throw conflict(verdict.detail, verdict.extra);
    }
    if (!(await insertRuleSet(c.env, ruleSet, caller.actor, previewId ?? null))) throw taken();
    await audit(
      c.env,
      caller,
      {
        action: "rule_set.publish",
        target: ruleSet.version,
        detail: {
          rules: ruleSet.rules.map((r) => `${r.id}@${r.version}`),
          previewId: previewId ?? null,
          changedPersons: verdict.changed,
          confirmed: confirm === "true",
        },
      },
      c.get("requestId"),
    );
    await logRuleSet(c.env, caller, ruleSet);
    await startRuleSetFanout(c.env, ruleSet.version);
    return c.json({ version: ruleSet.version, active: true, previewId: previewId ?? null }, 201);
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
            previewId: r.previewId,
          })),
          // The built-in table of API.md decides until the authority publishes a version of its own.
          {
            version: DEFAULT_RULE_SET.version,
            publishedAt: DEFAULT_RULE_SET.publishedAt,
            createdAt: DEFAULT_RULE_SET.publishedAt,
            rules: DEFAULT_RULE_SET.rules.length,
            active: rows.length === 0,
            previewId: null,
          },
        ],
      },
      200,
    );
  });
