// Retention of the person shards (workers/persons/retention.ts): results waiting in D1 go once the
// person's object holds them, or after PENDING_RECORD_RETENTION_DAYS for a person who never applied;
// the change log keeps COLOR_CHANGE_RETENTION_DAYS. The object keeps what D1 let go.
import { runDurableObjectAlarm } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { config } from "../../workers/config";
import { sweepPersonShards } from "../../workers/persons/retention";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { everyShard, personShard } from "../helpers/shards";

const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

async function sendResult(labKey: string, idNumber: string, sampleId: string) {
  const res = await call("POST", "/v1/lab/results", {
    token: labKey,
    body: {
      results: [
        {
          sampleId,
          idType: "resident_id",
          idNumber,
          name: "张小三",
          test: "nucleic_acid",
          result: "positive",
          sampledAt: at(Date.now() - 3_600_000),
          reportedAt: at(Date.now() - 1_800_000),
        },
      ],
    },
  });
  expect(res.status).toBe(202);
  await vi.waitUntil(
    async () => (await everyShard("SELECT 1 FROM test_results WHERE sample_id = ?", sampleId)).length === 1,
    { timeout: 15_000, interval: 100 },
  );
}

const stored = async (sampleId: string) =>
  (await everyShard("SELECT 1 FROM test_results WHERE sample_id = ?", sampleId)).length;

describe("person shard retention", () => {
  it("documents its windows as settings", () => {
    expect(config(env).pendingRecordRetentionDays).toBe(90);
    expect(config(env).colorChangeRetentionDays).toBe(90);
  });

  it("deletes a waiting result once the person's object holds it, and a never-claimed one after the window", async () => {
    const lab = await call("POST", "/v1/authority/labs", {
      token: await authorityToken(),
      body: { name: "Retention lab" },
    });
    const appliesLater = freshResidentId();
    const neverApplies = freshResidentId();
    await sendResult(lab.body.labKey, appliesLater, `RET-A-${appliesLater}`);
    await sendResult(lab.body.labKey, neverApplies, `RET-N-${neverApplies}`);

    const token = await idToken(`retention-${appliesLater}`, {
      idType: "resident_id",
      idNumber: appliesLater,
    });
    const applied = await call("POST", "/v1/persons", { token, body: applicant(appliesLater) });
    expect(applied.body.color).toBe("red");
    const personId = applied.body.personId as string;
    // The object's outbox writes the snapshot (proof the object was initialised) and the change log.
    await runDurableObjectAlarm(env.PERSON.getByName(personId));
    const snapshot = () =>
      personShard(personId)
        .prepare("SELECT 1 AS one FROM color_snapshots WHERE person_id = ?")
        .bind(personId)
        .first();
    await vi.waitUntil(snapshot, { timeout: 10_000, interval: 100 });

    // Within the grace period nothing goes.
    await sweepPersonShards(env, new Date());
    expect(await stored(`RET-A-${appliesLater}`)).toBe(1);

    // A day later: the held one goes, the unclaimed one waits.
    await sweepPersonShards(env, new Date(Date.now() + 2 * DAY));
    expect(await stored(`RET-A-${appliesLater}`)).toBe(0);
    expect(await stored(`RET-N-${neverApplies}`)).toBe(1);
    // The person still sees their result: the object is the record.
    const results = await call("GET", `/v1/persons/${personId}/results`, { token });
    expect(results.body.results.map((r: { sampleId: string }) => r.sampleId)).toEqual([
      `RET-A-${appliesLater}`,
    ]);

    // Past the window (through the Worker's own cron handler): the unclaimed one goes too, and so
    // does the change log; the snapshot (current colour) stays.
    const changes = () =>
      personShard(personId)
        .prepare("SELECT count(*) AS n FROM color_changes WHERE person_id = ?")
        .bind(personId)
        .first<{ n: number }>();
    expect((await changes())?.n).toBeGreaterThan(0);
    await (
      exports.default as unknown as { scheduled(o: { scheduledTime: Date; cron: string }): Promise<unknown> }
    ).scheduled({ scheduledTime: new Date(Date.now() + 91 * DAY), cron: "*/15 * * * *" });
    expect(await stored(`RET-N-${neverApplies}`)).toBe(0);
    expect((await changes())?.n).toBe(0);
    expect(await snapshot()).not.toBeNull();
  }, 120_000);
});
