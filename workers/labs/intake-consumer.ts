import type { TestResultFact } from "../../durable/rules/facts";
import { resultFact } from "../../durable/rules/record-facts";
import type { TestResultRow } from "../../schema/d1/results";
import { LabResultsMessage } from "../../schema/wire/labs";
import { log } from "../lib/log";
import { type OriginQueue, storeDeadLetters } from "../queues/dead-letters";
import { backoffSeconds } from "./backoff";
import { storeResults } from "./repo";

/**
 * Applies messages together: store all their results in D1 (one batch per shard for the lot), then
 * hand every stored result to its person's object, for persons who have applied (are in D1
 * `persons`), one call per person. Every result of such a person goes to the object, not only the
 * newly inserted rows: facts are idempotent by id, and a crash between the D1 insert and the object
 * call must not lose the fact on redelivery.
 *
 * A person who has not applied gets no object here (creating one per result was most of intake's
 * cost, for objects that may never be needed): their results wait in D1 and the object's first
 * `init` (or `importPerson`) reads them. Why no result falls between the two: this consumer inserts
 * the results, then (same batch, one transaction) reads the directory; the apply and import routes
 * insert the directory row, then call the object, which reads `test_results`. D1 runs statements one
 * at a time, so either the consumer's read comes after the directory insert (it sees the person and
 * sends the facts) or it comes before, and then so did the results insert, which the object's later
 * read sees. Possibly both see it: the object ignores a fact id it already holds.
 *
 * Returns, per message, whether it is applied: the store failing fails them all; an object call
 * failing fails only the messages with a result for that person.
 */
export async function applyLabResults(
  env: Env,
  messages: readonly { message: LabResultsMessage; receivedAt: string }[],
): Promise<{ inserted: number; applied: boolean[] }> {
  const rows: TestResultRow[] = messages.flatMap(({ message, receivedAt }) =>
    message.results.map((r) => ({
      personId: r.personId,
      labId: message.labId,
      sampleId: r.sampleId,
      test: r.test,
      result: r.result,
      sampledAt: r.sampledAt,
      reportedAt: r.reportedAt,
      receivedAt,
    })),
  );
  // `stored`: the rows of persons who have applied, as first stored.
  const { inserted, stored } = await storeResults(env, rows);
  const byPerson = new Map<string, TestResultFact[]>();
  for (const row of stored)
    byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), resultFact(row)]);
  const failed = new Set<string>();
  await Promise.all(
    [...byPerson].map(([personId, facts]) =>
      env.PERSON.getByName(personId)
        .addFacts(facts)
        .catch((err: unknown) => {
          failed.add(personId);
          log("warn", "lab results: person object call failed", { error: String(err) });
        }),
    ),
  );
  return {
    inserted,
    applied: messages.map(({ message }) => !message.results.some((r) => failed.has(r.personId))),
  };
}

/**
 * The consumer of `healthpass-lab-results`: every message is a `lab_results` one (anything else is
 * dead-lettered at once, as unparseable).
 */
export async function consumeLabResultsQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consumeLabResults(batch.messages, env, "healthpass-lab-results");
}

/**
 * Lab results, the whole batch applied at once (see applyLabResults); each message is acked or
 * retried on its own. Also the `lab_results` handler of the intake queue, which carried them before
 * they had a queue of their own: messages sent then are still applied.
 */
export async function consumeLabResults(
  messages: readonly Message<unknown>[],
  env: Env,
  originQueue: OriginQueue = "healthpass-intake",
): Promise<void> {
  const poison: { id: string; body: unknown; attempts: number; reason: string }[] = [];
  const valid: { m: Message<unknown>; message: LabResultsMessage; receivedAt: string }[] = [];
  for (const m of messages) {
    const parsed = LabResultsMessage.safeParse(m.body);
    if (parsed.success) valid.push({ m, message: parsed.data, receivedAt: m.timestamp.toISOString() });
    // Retrying cannot fix a body that does not parse: keep it for the authority at once.
    else
      poison.push({
        id: m.id,
        body: m.body,
        attempts: m.attempts,
        reason: `unparseable: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      });
  }
  if (valid.length > 0) {
    try {
      const { applied } = await applyLabResults(env, valid);
      valid.forEach(({ m }, i) => {
        if (applied[i]) m.ack();
        else retry(m);
      });
    } catch (err) {
      log("warn", "lab results retry", { messages: valid.length, error: String(err) });
      for (const { m } of valid) retry(m);
    }
  }
  if (poison.length === 0) return;
  try {
    await storeDeadLetters(
      env,
      poison.map((p) => ({ ...p, originQueue })),
    );
    for (const m of messages) if (poison.some((p) => p.id === m.id)) m.ack();
  } catch {
    // Not stored: let the queue retry and, in the end, move it to the dead-letter queue itself.
    for (const m of messages) if (poison.some((p) => p.id === m.id)) retry(m);
  }
}

function retry(m: Message<unknown>): void {
  m.retry({ delaySeconds: backoffSeconds(m.attempts) });
}
