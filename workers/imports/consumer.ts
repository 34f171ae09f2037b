import { activeRuleSet } from "../../durable/d1-reads";
import type { ImportedColorFact } from "../../durable/rules/facts";
import type { ImportsMessage } from "../../schema/wire/imports";
import { log } from "../lib/log";

/** Object calls in flight at once per message: enough to hide latency without flooding the runtime. */
const CONCURRENCY = 50;

export const importFactId = (source: string, personId: string, since: string) =>
  `import:${source}:${personId}:${since}`;

export function importedFact(item: ImportsMessage["items"][number]): ImportedColorFact {
  return {
    kind: "imported_color",
    id: importFactId(item.source, item.personId, item.since),
    color: item.color,
    reason: item.reason,
    since: item.since,
    source: item.source,
  };
}

/**
 * Each item becomes an imported-colour fact on its person's object, created with that colour from
 * the start (PersonObject.importPerson), so a red person arrives red. Replays are no-ops (fact ids).
 */
export async function consumeImports(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  // Read once for the whole batch rather than once per new person.
  const inForce = await activeRuleSet(env);
  await Promise.all(messages.map((m) => consumeOne(m, env, inForce)));
}

async function consumeOne(
  m: Message<unknown>,
  env: Env,
  inForce: Awaited<ReturnType<typeof activeRuleSet>>,
): Promise<void> {
  const { items } = m.body as ImportsMessage;
  try {
    for (let i = 0; i < items.length; i += CONCURRENCY) {
      await Promise.all(
        items
          .slice(i, i + CONCURRENCY)
          .map((item) =>
            env.PERSON.getByName(item.personId).importPerson(
              { personId: item.personId, districtCode: item.districtCode },
              [importedFact(item)],
              inForce,
            ),
          ),
      );
    }
    m.ack();
  } catch (err) {
    log("warn", "import intake failed; retrying", { error: String(err) });
    m.retry();
  }
}
