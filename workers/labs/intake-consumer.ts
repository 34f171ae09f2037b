import type { TestResultFact } from "../../durable/rules/facts";
import { resultFact } from "../../durable/rules/record-facts";
import type { TestResultRow } from "../../schema/d1/results";
import { LabResultsMessage } from "../../schema/wire/labs";
import { log } from "../lib/log";
import { storeDeadLetters } from "../queues/dead-letters";
import { backoffSeconds } from "./backoff";
import { storeResults } from "./repo";

/**
 * Applies one message: store in D1, then hand every stored result of the message to its person's
 * object, for persons who have applied (are in D1 `persons`). Every result of such a person goes to
 * the object, not only the newly inserted rows: facts are idempotent by id, and a crash between the
 * D1 insert and the object call must not lose the fact on redelivery.
 *
 * A person who has not applied gets no object here (creating one per result was most of intake's
 * cost, for objects that may never be needed): their results wait in D1 and the object's first
 * `init` (or `importPerson`) reads them. Why no result falls between the two: this consumer inserts
 * the results, then (same batch, one transaction) reads the directory; the apply and import routes
 * insert the directory row, then call the object, which reads `test_results`. D1 runs statements one
 * at a time, so either the consumer's read comes after the directory insert (it sees the person and
 * sends the facts) or it comes before, and then so did the results insert, which the object's later
 * read sees. Possibly both see it: the object ignores a fact id it already holds.
 */
export async function applyLabResults(
  env: Env,
  message: LabResultsMessage,
  receivedAt: string,
): Promise<number> {
  const rows: TestResultRow[] = message.results.map((r) => ({
    personId: r.personId,
    labId: message.labId,
    sampleId: r.sampleId,
    test: r.test,
    result: r.result,
    sampledAt: r.sampledAt,
    reportedAt: r.reportedAt,
    receivedAt,
  }));
  const { inserted, stored, applied } = await storeResults(env, rows);
  const byPerson = new Map<string, TestResultFact[]>();
  for (const row of stored)
    if (applied.has(row.personId))
      byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), resultFact(row)]);
  await Promise.all([...byPerson].map(([personId, facts]) => env.PERSON.getByName(personId).addFacts(facts)));
  return inserted;
}

/** The `lab_results` handler of the intake queue; acks or retries each message on its own. */
export async function consumeLabResults(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  const poison: { id: string; body: unknown; attempts: number; reason: string }[] = [];
  await Promise.all(
    messages.map(async (m) => {
      const parsed = LabResultsMessage.safeParse(m.body);
      if (!parsed.success) {
        // Retrying cannot fix a body that does not parse: keep it for the authority at once.
        poison.push({
          id: m.id,
          body: m.body,
          attempts: m.attempts,
          reason: `unparseable: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        });
        return;
      }
      try {
        await applyLabResults(env, parsed.data, m.timestamp.toISOString());
        m.ack();
      } catch (err) {
        log("warn", "lab results retry", { messageId: m.id, attempts: m.attempts, error: String(err) });
        m.retry({ delaySeconds: backoffSeconds(m.attempts) });
      }
    }),
  );
  if (poison.length === 0) return;
  try {
    await storeDeadLetters(
      env,
      poison.map((p) => ({ ...p, originQueue: "healthpass-intake" })),
    );
    for (const m of messages) if (poison.some((p) => p.id === m.id)) m.ack();
  } catch {
    // Not stored: let the queue retry and, in the end, move it to the dead-letter queue itself.
    for (const m of messages)
      if (poison.some((p) => p.id === m.id)) m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
}
