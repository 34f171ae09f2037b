import { z } from "@hono/zod-openapi";
import { activeRuleSet } from "../../durable/d1-reads";
import type { RuleSet } from "../../durable/rules/rule-set";
import { backoffSeconds } from "../labs/backoff";
import { chunk } from "../lib/chunk";
import { log } from "../lib/log";
import { shardDatabases } from "../lib/shards";
import { storeDeadLetters } from "../queues/dead-letters";
import { personIdPage } from "./rule-sets-repo";

/** Person ids read from D1 per page message; each page becomes messages of PERSONS_PER_MESSAGE. */
export const PAGE_SIZE = 1000;
export const PERSONS_PER_MESSAGE = 100;

const PagesMessage = z.object({
  type: z.literal("rule_set_pages"),
  version: z.string(),
  /** The person shard paged; absent in messages queued before shards: those restart every shard's chain. */
  shard: z.number().int().nonnegative().optional(),
  after: z.string().nullable(),
});
const PersonsMessage = z.object({
  type: z.literal("rule_set"),
  version: z.string(),
  personIds: z.array(z.string()).max(PERSONS_PER_MESSAGE),
});
type PagesMessage = z.infer<typeof PagesMessage>;
type PersonsMessage = z.infer<typeof PersonsMessage>;

/**
 * What publishing sends: the first page of every person shard. Each page queues the next of its own
 * shard, so the shards are walked in parallel chains and no request walks all persons.
 */
export function firstPages(version: string, shards: number): PagesMessage[] {
  return Array.from({ length: shards }, (_, shard) => ({
    type: "rule_set_pages",
    version,
    shard,
    after: null,
  }));
}

/** Queues the first page of every shard for `version`. */
export async function startRuleSetFanout(env: Env, version: string): Promise<void> {
  const out = firstPages(version, shardDatabases(env).length).map((body) => ({
    body,
    contentType: "json" as const,
  }));
  for (const part of chunk(out, 100)) await env.INTAKE_QUEUE.sendBatch(part);
}

async function expandPage(env: Env, m: PagesMessage): Promise<void> {
  // A message from before shards: applying a rule set again is a no-op for a person who has it, so
  // restarting every shard's chain is safe.
  if (m.shard === undefined) return startRuleSetFanout(env, m.version);
  const ids = await personIdPage(env, m.shard, m.after, PAGE_SIZE);
  const out: { body: PagesMessage | PersonsMessage; contentType: "json" }[] = chunk(
    ids,
    PERSONS_PER_MESSAGE,
  ).map((personIds) => ({ body: { type: "rule_set", version: m.version, personIds }, contentType: "json" }));
  if (ids.length === PAGE_SIZE)
    out.push({ body: { ...m, after: ids[ids.length - 1]! }, contentType: "json" });
  for (const part of chunk(out, 20)) await env.INTAKE_QUEUE.sendBatch(part);
}

async function applyToPersons(env: Env, ruleSet: RuleSet, personIds: readonly string[]): Promise<void> {
  await Promise.all(personIds.map((id) => env.PERSON.getByName(id).useRuleSet(ruleSet)));
}

/**
 * Handler of `rule_set_pages` and `rule_set` intake messages. A message for a version that is no
 * longer the active one is dropped: the newer version's own fan-out reaches every person, and
 * applying the older one late would undo it.
 */
export async function consumeRuleSetFanout(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  let active: Awaited<ReturnType<typeof activeRuleSet>>;
  try {
    active = await activeRuleSet(env);
  } catch {
    for (const m of messages) m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    return;
  }
  const poison: { id: string; body: unknown; attempts: number; reason: string }[] = [];
  await Promise.all(
    messages.map(async (m) => {
      const pages = PagesMessage.safeParse(m.body);
      const persons = PersonsMessage.safeParse(m.body);
      if (!pages.success && !persons.success) {
        poison.push({
          id: m.id,
          body: m.body,
          attempts: m.attempts,
          reason: "unparseable rule-set fan-out message",
        });
        return;
      }
      const version = pages.success ? pages.data.version : persons.data!.version;
      if (!active || active.ruleSet.version !== version) return m.ack();
      try {
        if (pages.success) await expandPage(env, pages.data);
        else await applyToPersons(env, active.ruleSet, persons.data!.personIds);
        m.ack();
      } catch (err) {
        log("warn", "rule-set fan-out retry", { messageId: m.id, error: String(err) });
        m.retry({ delaySeconds: backoffSeconds(m.attempts) });
      }
    }),
  );
  if (poison.length === 0) return;
  await storeDeadLetters(
    env,
    poison.map((p) => ({ ...p, originQueue: "healthpass-intake" })),
  ).then(
    () => {
      for (const m of messages) if (poison.some((p) => p.id === m.id)) m.ack();
    },
    () => {
      for (const m of messages) if (poison.some((p) => p.id === m.id)) m.retry();
    },
  );
}
