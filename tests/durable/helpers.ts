import { env } from "cloudflare:workers";
import type { AuthorityEventFact, ExposureFact, Fact, TestResultFact } from "../../durable/rules/facts";
import type { CheckInRow } from "../../schema/checkins";
import { personShard } from "../helpers/shards";

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

let n = 0;
/**
 * A fresh person object, created (green) as an application would: the directory row first (intake
 * sends facts only to persons in it), then `init`.
 */
export async function freshPerson(districtCode: string | null = "510104") {
  const personId = `test-person-${Date.now().toString(36)}-${++n}`;
  await personShard(personId)
    .prepare(
      "INSERT INTO persons (person_id, id_type, name_enc, masked_name, district_code, created_at) VALUES (?, 'resident_id', 'test-ciphertext', '*', ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(personId, districtCode, new Date().toISOString())
    .run();
  const stub = env.PERSON.getByName(personId);
  await stub.init({ personId, districtCode });
  return { personId, stub };
}

export const event = (
  id: string,
  kind: AuthorityEventFact["event"],
  occurredAt: number,
  reason = `reason ${id}`,
): AuthorityEventFact => ({
  kind: "authority_event",
  id: `event:${id}`,
  event: kind,
  occurredAt: iso(occurredAt),
  reason,
  actor: "test|authority",
});

export const result = (
  sampleId: string,
  outcome: TestResultFact["result"],
  sampledAt: number,
  test: TestResultFact["test"] = "nucleic_acid",
): TestResultFact => ({
  kind: "test_result",
  id: `result:lab_test:${sampleId}`,
  labId: "lab_test",
  sampleId,
  test,
  result: outcome,
  sampledAt: iso(sampledAt),
  reportedAt: iso(sampledAt + HOUR),
});

export const exposure = (id: string, visitedAt: number): ExposureFact => ({
  kind: "exposure",
  id: `exposure:ra_test:${id}`,
  riskAreaId: "ra_test",
  venueId: "venue_test",
  venueName: "Test market",
  level: "high",
  visitedAt: iso(visitedAt),
  reason: "Risk area designated for testing",
});

export type { Fact };

/** A printed-code visit in green, as the check-in route hands it to the venue and person objects. */
export const visitRow = (
  venueId: string,
  personId: string,
  at: number,
  checkInId: string,
  venueName: string,
): CheckInRow => ({
  checkInId,
  venueId,
  personId,
  kind: "printed",
  checkedInAt: iso(at),
  color: "green",
  distanceM: null,
  deviceKeyId: null,
  entryId: null,
  presence: "location",
  venueName,
  codeIat: null,
  voidedAt: null,
});
