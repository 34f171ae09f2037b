import { recordsOf, resultsOf } from "./d1-reads";
import type { Fact } from "./rules/facts";
import { resultFact, vaccinationFact } from "./rules/record-facts";

/**
 * What D1 holds for a person before their object exists: lab results and vaccination records that
 * intake stored but did not send (it sends facts only to persons in the directory). Mapped exactly as
 * intake maps them, so a fact read here and the same fact sent later have the same id and body.
 */
export async function pendingFacts(env: Env, personId: string): Promise<Fact[]> {
  const [results, records] = await Promise.all([resultsOf(env, personId), recordsOf(env, personId)]);
  return [...results.map(resultFact), ...records.map((r) => vaccinationFact(r.siteId, r))];
}
