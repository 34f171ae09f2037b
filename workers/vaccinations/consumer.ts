import type { VaccinationFact } from "../../durable/rules/facts";
import { vaccinationFact } from "../../durable/rules/record-facts";
import type { VaccinationsMessage } from "../../schema/wire/vaccinations";
import { log } from "../lib/log";
import { storeRecords } from "./repo";

/** Groups a message's records into one fact list per person (one object call each). */
export function factsByPerson(msg: VaccinationsMessage): Map<string, VaccinationFact[]> {
  const byPerson = new Map<string, VaccinationFact[]>();
  for (const r of msg.records)
    byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), vaccinationFact(msg.siteId, r)]);
  return byPerson;
}

/**
 * Stores the records in D1 and gives every record to its person's object, for persons in the
 * directory (who have applied or were imported); the others' objects read their records from D1 at
 * `init` (see `applyLabResults` for why none is missed). All records of the message go to the
 * objects, not only the rows D1 reports as new: if a previous delivery stored the rows and then
 * failed before reaching an object, the retry must still deliver the fact (the object ignores fact
 * ids it already has).
 */
export async function consumeVaccinations(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  for (const m of messages) {
    const msg = m.body as VaccinationsMessage;
    try {
      const receivedAt = new Date().toISOString();
      const applied = await storeRecords(
        env,
        msg.records.map((r) => ({ siteId: msg.siteId, ...r, receivedAt })),
      );
      await Promise.all(
        [...factsByPerson(msg)]
          .filter(([personId]) => applied.has(personId))
          .map(([personId, facts]) => env.PERSON.getByName(personId).addFacts(facts)),
      );
      m.ack();
    } catch (err) {
      log("warn", "vaccination intake failed; retrying", { error: String(err) });
      m.retry();
    }
  }
}
