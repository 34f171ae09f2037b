import type { VaccinationFact } from "../../durable/rules/facts";
import type { VaccinationsMessage } from "../../schema/wire/vaccinations";
import { storeRecords } from "./repo";

export const vaccinationFactId = (siteId: string, recordId: string) => `vaccination:${siteId}:${recordId}`;

/** Groups a message's records into one fact list per person (one object call each). */
export function factsByPerson(msg: VaccinationsMessage): Map<string, VaccinationFact[]> {
  const byPerson = new Map<string, VaccinationFact[]>();
  for (const r of msg.records) {
    const fact: VaccinationFact = {
      kind: "vaccination",
      id: vaccinationFactId(msg.siteId, r.recordId),
      siteId: msg.siteId,
      product: r.product,
      dose: r.dose,
      date: r.date,
    };
    byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), fact]);
  }
  return byPerson;
}

/**
 * Stores the records in D1 and gives every record to its person's object. All records of the
 * message go to the objects, not only the rows D1 reports as new: if a previous delivery stored the
 * rows and then failed before reaching an object, the retry must still deliver the fact (the object
 * ignores fact ids it already has).
 */
export async function consumeVaccinations(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  for (const m of messages) {
    const msg = m.body as VaccinationsMessage;
    try {
      const receivedAt = new Date().toISOString();
      await storeRecords(
        env,
        msg.records.map((r) => ({ siteId: msg.siteId, ...r, receivedAt })),
      );
      await Promise.all(
        [...factsByPerson(msg)].map(([personId, facts]) => env.PERSON.getByName(personId).addFacts(facts)),
      );
      m.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ level: "warn", msg: "vaccination intake failed; retrying", error: String(err) }),
      );
      m.retry();
    }
  }
}
