import { z } from "@hono/zod-openapi";
import { tallyPage } from "../../durable/preview-tally";
import { backoffSeconds } from "../labs/backoff";
import { mapBounded } from "../lib/bounded";
import { shardDatabases } from "../lib/shards";
import { storeDeadLetters } from "../queues/dead-letters";
import { shardRange, shardRangeCount } from "./preview-ranges";
import { countInRange, directoryPage } from "./rule-preview-repo";

/** Persons read from the directory per page message. */
export const PREVIEW_PAGE_SIZE = 250;
/** Person objects asked at once by one page. */
export const PREVIEW_CONCURRENCY = 25;
/** Id ranges a preview is split into, at least: one chain of page messages each, consumed in parallel. */
export const PREVIEW_RANGES = 64;

/** The preview's ranges: every person shard split alike, together at least PREVIEW_RANGES. */
export function previewRanges(env: Env): number {
  return shardRangeCount(shardDatabases(env).length, PREVIEW_RANGES);
}

export const PreviewPageMessage = z.object({
  type: z.literal("rule_set_preview"),
  previewId: z.string().min(1).max(64),
  range: z.number().int().nonnegative(),
  /** The page starts after this person id (null: at the range's start). */
  after: z.string().nullable(),
  limit: z.number().int().min(1).max(1000),
});
export type PreviewPageMessage = z.infer<typeof PreviewPageMessage>;

/** The messages that start a preview: the first page of every range. */
export function firstPages(
  previewId: string,
  ranges: number,
  limit = PREVIEW_PAGE_SIZE,
): PreviewPageMessage[] {
  return Array.from({ length: ranges }, (_, range) => ({
    type: "rule_set_preview",
    previewId,
    range,
    after: null,
    limit,
  }));
}

/**
 * One page of a range: asks each person's object to compare its colour now with the proposed set's
 * (read-only), records the page's counts in the preview object, and returns the message for the
 * next page (null: the range is finished, or this delivery was a duplicate). The preview object
 * counts a page only if it starts at the range's cursor, so a redelivery never counts a person twice.
 */
export async function previewPage(env: Env, m: PreviewPageMessage): Promise<PreviewPageMessage | null> {
  const preview = env.RULE_PREVIEW.getByName(m.previewId);
  const claim = await preview.claim(m.range, m.after);
  if (claim.kind === "stale") return null;
  if (claim.kind === "resend") return claim.next === null ? null : { ...m, after: claim.next };
  const { shard, range: r } = shardRange(m.range, claim.ranges, shardDatabases(env).length);
  const [rows, total] = await Promise.all([
    directoryPage(env, shard, r, m.after, m.limit),
    m.after === null ? countInRange(env, shard, r) : Promise.resolve(null),
  ]);
  const compared = await mapBounded(rows, PREVIEW_CONCURRENCY, async (p) => ({
    maskedName: p.maskedName,
    districtCode: p.districtCode,
    comparison: await env.PERSON.getByName(p.personId).previewRuleSet(claim.ruleSet),
  }));
  const final = rows.length < m.limit;
  const last = rows.at(-1)?.personId ?? m.after;
  const recorded = await preview.record({
    range: m.range,
    after: m.after,
    last,
    final,
    total,
    ...tallyPage(compared),
  });
  return recorded && !final ? { ...m, after: last } : null;
}

/** Handler of `rule_set_preview` intake messages. */
export async function consumeRulePreview(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  const poison: { id: string; body: unknown; attempts: number; reason: string }[] = [];
  await Promise.all(
    messages.map(async (m) => {
      const parsed = PreviewPageMessage.safeParse(m.body);
      if (!parsed.success) {
        poison.push({
          id: m.id,
          body: m.body,
          attempts: m.attempts,
          reason: "unparseable rule-set preview page",
        });
        return;
      }
      try {
        const next = await previewPage(env, parsed.data);
        if (next) await env.INTAKE_QUEUE.send(next, { contentType: "json" });
        m.ack();
      } catch (err) {
        console.error(
          JSON.stringify({
            level: "warn",
            msg: "rule-set preview page retry",
            messageId: m.id,
            error: String(err),
          }),
        );
        m.retry({ delaySeconds: backoffSeconds(m.attempts) });
      }
    }),
  );
  if (poison.length === 0) return;
  const ids = new Set(poison.map((p) => p.id));
  await storeDeadLetters(
    env,
    poison.map((p) => ({ ...p, originQueue: "healthpass-intake" })),
  ).then(
    () => {
      for (const m of messages) if (ids.has(m.id)) m.ack();
    },
    () => {
      for (const m of messages) if (ids.has(m.id)) m.retry();
    },
  );
}
