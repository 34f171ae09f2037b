import { createRoute } from "@hono/zod-openapi";
import { activeRuleSet } from "../../durable/d1-reads";
import { changedCount, changeList, districtList } from "../../durable/preview-tally";
import type { PreviewReport } from "../../durable/rule-preview";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { RuleSetSchema } from "../../durable/rules/rule-set";
import { districtName } from "../../schema/districts";
import { errorResponses, ProblemSchema, security } from "../../schema/wire/common";
import { PreviewIdParam, PreviewStartedSchema, RulePreviewSchema } from "../../schema/wire/rule-previews";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { config } from "../config";
import { conflict, notFound } from "../http/problems";
import { chunk } from "../lib/chunk";
import type { PreviewFacts } from "./publish-gate";
import { firstPages, previewRanges } from "./rule-preview-pages";
import { ruleSetDigest } from "./rule-set-digest";
import { ruleSetByVersion } from "./rule-sets-repo";

const start = createRoute({
  method: "post",
  path: "/v1/authority/rule-sets/previews",
  tags: ["Authority"],
  summary: "Preview a rule set: every person's colour now and under it, over all persons, changing nothing",
  description:
    "Persons are split into id ranges consumed in parallel; each person's object evaluates the facts it " +
    "holds at that moment, at that moment's time, under the rule set it uses and under the proposed one. " +
    "Each person registered when the preview starts is counted exactly once. Facts arriving after a " +
    "person was evaluated are not in the preview (publishing evaluates everyone again).",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: RuleSetSchema } } } },
  responses: {
    202: { description: "Started", content: { "application/json": { schema: PreviewStartedSchema } } },
    409: {
      description: "That version label is already published",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errorResponses,
  },
});

const read = createRoute({
  method: "get",
  path: "/v1/authority/rule-sets/previews/{previewId}",
  tags: ["Authority"],
  summary: "A preview's progress and results: changes by from → to, by prefecture, and up to 20 samples",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { params: PreviewIdParam },
  responses: {
    200: { description: "The preview", content: { "application/json": { schema: RulePreviewSchema } } },
    ...errorResponses,
  },
});

/** The preview's state for the publication gate; null when the id names none (or it expired). */
export async function previewFacts(env: Env, previewId: string): Promise<PreviewFacts | null> {
  const r = await env.RULE_PREVIEW.getByName(previewId).report();
  if (!r) return null;
  return {
    previewId,
    digest: r.meta.digest,
    baseVersion: r.meta.baseVersion,
    startedAt: r.meta.startedAt,
    done: r.done,
    evaluated: r.tally.evaluated,
    total: r.total,
    changed: changedCount(r.tally.changes),
  };
}

function view(r: PreviewReport, threshold: number) {
  return {
    previewId: r.meta.previewId,
    ruleSetVersion: r.meta.ruleSet.version,
    baseVersion: r.meta.baseVersion,
    status: r.done ? ("done" as const) : ("running" as const),
    startedAt: r.meta.startedAt,
    finishedAt: r.finishedAt,
    evaluated: r.tally.evaluated,
    total: r.total,
    changed: changedCount(r.tally.changes),
    threshold,
    changes: changeList(r.tally.changes),
    byDistrict: districtList(r.tally.byPrefecture).map((d) => ({
      ...d,
      districtName: d.districtCode ? (districtName(d.districtCode) ?? null) : null,
    })),
    samples: r.samples.map((s) => ({
      maskedName: s.maskedName,
      districtCode: s.districtCode,
      from: s.from,
      to: s.to,
      decidedBy: { now: s.decidingNow, proposed: s.decidingProposed },
    })),
  };
}

export const rulePreviewRoutes = newApp()
  .openapi(start, async (c) => {
    const caller = personCaller(c);
    const ruleSet = c.req.valid("json");
    if (ruleSet.version === DEFAULT_RULE_SET.version || (await ruleSetByVersion(c.env, ruleSet.version)))
      throw conflict(
        `Rule-set version ${ruleSet.version} is already published; preview it under a new version`,
      );
    const [digest, active] = await Promise.all([ruleSetDigest(ruleSet), activeRuleSet(c.env)]);
    const previewId = crypto.randomUUID();
    const ranges = previewRanges(c.env);
    await c.env.RULE_PREVIEW.getByName(previewId).start({
      previewId,
      ruleSet,
      digest,
      baseVersion: active?.ruleSet.version ?? DEFAULT_RULE_SET.version,
      startedAt: new Date().toISOString(),
      ranges,
      createdBy: `${caller.issuer}|${caller.subject}`,
    });
    await audit(
      c.env,
      caller,
      { action: "rule_set.preview", target: previewId, detail: { version: ruleSet.version, digest } },
      c.get("requestId"),
    );
    for (const part of chunk(firstPages(previewId, ranges), 100))
      await c.env.INTAKE_QUEUE.sendBatch(part.map((body) => ({ body, contentType: "json" as const })));
    return c.json({ previewId }, 202);
  })
  .openapi(read, async (c) => {
    const { previewId } = c.req.valid("param");
    const r = await c.env.RULE_PREVIEW.getByName(previewId).report();
    if (!r) throw notFound("No such preview (previews are kept for 7 days)");
    return c.json(view(r, config(c.env).ruleConfirmThreshold), 200);
  });
