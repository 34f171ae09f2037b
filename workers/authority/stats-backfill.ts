import { createRoute } from "@hono/zod-openapi";
import type { BackfillProgress } from "../../durable/counter-backfill";
import { errorResponses, security } from "../../schema/wire/common";
import { StatsBackfillBody, StatsBackfillSchema } from "../../schema/wire/stats-backfill";
import { newApp } from "../app";
import { audit } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { shardDatabases } from "../lib/shards";
import { shardRange, shardRangeCount } from "./preview-ranges";

// The district counters count a person from their next code refresh or colour change; a person
// registered before the counters who does neither is counted only by this backfill. A route the
// authority starts (audited, once after deploying the counters, or whenever a recount is in doubt)
// rather than a scheduled job: it walks every person once and then has nothing to do, and an
// authority should see it start and finish. The walk runs in CounterBackfillObject (one per range).

/** Ranges, at least: each walks ~1/256 of the persons, page by page; all at once. */
export const BACKFILL_RANGES = 256;

const start = createRoute({
  method: "post",
  path: "/v1/authority/stats/backfill",
  tags: ["Authority"],
  summary: "Count every person the district counters have never counted (registered before them)",
  description:
    "Walks the person directory of every shard in parallel id ranges and asks each person's object to " +
    "send its count if it never has. Idempotent: running it again counts nobody twice.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: StatsBackfillBody } } } },
  responses: {
    202: { description: "Started", content: { "application/json": { schema: StatsBackfillSchema } } },
    ...errorResponses,
  },
});

const read = createRoute({
  method: "get",
  path: "/v1/authority/stats/backfill",
  tags: ["Authority"],
  summary: "The counter backfill's progress",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Progress", content: { "application/json": { schema: StatsBackfillSchema } } },
    ...errorResponses,
  },
});

function ranges(env: Env) {
  const shards = shardDatabases(env).length;
  const count = shardRangeCount(shards, BACKFILL_RANGES);
  return Array.from({ length: count }, (_, k) => {
    const { shard, range } = shardRange(k, count, shards);
    return { name: `range:${k}/${count}`, range: { shard: shard!, ...range } };
  });
}

function summarise(progress: readonly (BackfillProgress | null)[], started = 0) {
  const known = progress.filter((p): p is BackfillProgress => p !== null);
  return {
    ranges: progress.length,
    started,
    running: known.filter((p) => !p.done).length,
    done: known.filter((p) => p.done).length,
    seen: known.reduce((a, p) => a + p.seen, 0),
    counted: known.reduce((a, p) => a + p.counted, 0),
  };
}

export const statsBackfillRoutes = newApp()
  .openapi(start, async (c) => {
    const { reason } = c.req.valid("json");
    const all = ranges(c.env);
    // Audited before anything starts.
    await audit(
      c.env,
      personCaller(c),
      { action: "stats.backfill", reason, detail: { ranges: all.length } },
      c.get("requestId"),
    );
    const stubs = all.map((r) => c.env.COUNTER_BACKFILL.getByName(r.name));
    const started = await Promise.all(all.map((r, i) => stubs[i]!.start(r.range)));
    const progress = await Promise.all(stubs.map((s) => s.progress()));
    return c.json(summarise(progress, started.filter(Boolean).length), 202);
  })
  .openapi(read, async (c) => {
    const progress = await Promise.all(
      ranges(c.env).map((r) => c.env.COUNTER_BACKFILL.getByName(r.name).progress()),
    );
    c.header("cache-control", "no-store");
    return c.json(summarise(progress), 200);
  });
