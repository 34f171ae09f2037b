import { createRoute } from "@hono/zod-openapi";
import { errorResponses, security } from "../../schema/wire/common";
import { LabResultsAccepted, LabResultsBody, type QueuedResult } from "../../schema/wire/labs";
import { newApp } from "../app";
import { keyAuth, keyCaller } from "../auth/middleware";
import { config } from "../config";
import { invalid } from "../http/problems";
import { derivePersonId } from "../identity/person-id";
import { chunk } from "../lib/chunk";
import { log } from "../lib/log";
import { knownSampleIds } from "./repo";
import { checkResults, splitDuplicates } from "./validate";

/**
 * Results per queue message: each message stays far below the 128 KB limit, and a full consumer
 * batch (100 messages, five full requests) calls at most 5,000 person objects, half an invocation's
 * subrequests (tests/unit/queues/batch-budget.test.ts).
 */
export const RESULTS_PER_MESSAGE = 50;
/** Messages per sendBatch call, keeping a call under the 256 KB batch limit even with long sample ids. */
const MESSAGES_PER_SEND = 5;

const route = createRoute({
  method: "post",
  path: "/v1/lab/results",
  tags: ["Labs"],
  summary: "Submit test results (at most 1,000); every item is validated before anything is queued",
  security: security.labKey,
  middleware: [keyAuth("lab")] as const,
  request: { body: { required: true, content: { "application/json": { schema: LabResultsBody } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: LabResultsAccepted } } },
    ...errorResponses,
  },
});

export const resultsRoutes = newApp().openapi(route, async (c) => {
  const caller = keyCaller(c);
  const checked = checkResults(c.req.valid("json").results, new Date());
  if (!checked.ok) throw invalid(checked.errors, `${checked.errors.length} problem(s); nothing was queued`);

  const labId = caller.ownerId;
  const key = config(c.env).personIdKey;
  // From here on only the person id travels: identity numbers and names stay in this request.
  const derived = await Promise.all(
    checked.results.map(async (r) => ({ ...r, personId: await derivePersonId(key, r.identity) })),
  );
  const known = await knownSampleIds(c.env, labId, derived).catch((err: unknown) => {
    // D1 down (issue 15, degraded mode): accept and queue anyway; the consumer's insert keeps one row
    // per sample, so a result sent again is still applied once (only this answer's count is lower).
    log("warn", "sample-id pre-check skipped: D1 unavailable", { labId, error: String(err) });
    return new Set<string>();
  });
  const { fresh, duplicates } = splitDuplicates(derived, known);
  const queued: QueuedResult[] = fresh.map((r) => ({
    personId: r.personId,
    sampleId: r.sampleId,
    test: r.test,
    result: r.result,
    sampledAt: r.sampledAt,
    reportedAt: r.reportedAt,
  }));
  const messages = chunk(queued, RESULTS_PER_MESSAGE).map((results) => ({
    body: { type: "lab_results" as const, labId, results },
    contentType: "json" as const,
  }));
  for (const part of chunk(messages, MESSAGES_PER_SEND)) await c.env.LAB_RESULTS_QUEUE.sendBatch(part);
  return c.json({ accepted: queued.length, duplicates }, 202);
});
