import type { TestResultRow } from "../../schema/d1/results";
import type { TestResultFact, VaccinationFact } from "./facts";

// The one mapping of a stored record to its fact, used by intake and by a person's `init` reading D1:
// a fact read from D1 and the same fact delivered later must have the same id and body.

export function resultFact(row: TestResultRow): TestResultFact {
  return {
    kind: "test_result",
    id: `result:${row.labId}:${row.sampleId}`,
    labId: row.labId,
    sampleId: row.sampleId,
    test: row.test,
    result: row.result,
    sampledAt: row.sampledAt,
    reportedAt: row.reportedAt,
  };
}

export const vaccinationFactId = (siteId: string, recordId: string) => `vaccination:${siteId}:${recordId}`;

export function vaccinationFact(
  siteId: string,
  r: { recordId: string; product: string; dose: number; date: string },
): VaccinationFact {
  return {
    kind: "vaccination",
    id: vaccinationFactId(siteId, r.recordId),
    siteId,
    product: r.product,
    dose: r.dose,
    date: r.date,
  };
}
