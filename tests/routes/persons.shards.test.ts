// The shard map at work with the default configuration (4 person shards): new persons spread over
// every shard, and a person's rows (directory, binding, results, appeals, paper codes) are written
// and read back end to end through the routes wherever they landed.
import { describe, expect, it, vi } from "vitest";
import { shardDatabases } from "../../workers/lib/shards";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { accountShardOf, countEveryShard, everyShard, personShard } from "../helpers/shards";

const PERSONS = 200;

async function applyMany(n: number) {
  const out: { personId: string; idNumber: string; token: string }[] = [];
  for (let i = 0; i < n; i += 10) {
    const part = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async (_, j) => {
        const idNumber = freshResidentId();
        const token = await idToken(`shard-${Date.now().toString(36)}-${i + j}`, {
          idType: "resident_id",
          idNumber,
        });
        const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
        expect(res.status).toBe(201);
        return { personId: res.body.personId as string, idNumber, token };
      }),
    );
    out.push(...part);
  }
  return out;
}

/** How many of `ids` each shard holds in `table` (by `person_id`), in shard order. */
async function perShard(table: string, ids: readonly string[]): Promise<number[]> {
  return Promise.all(
    shardDatabases(env).map(async (db) => {
      let n = 0;
      for (let i = 0; i < ids.length; i += 90) {
        const part = ids.slice(i, i + 90);
        const row = await db
          .prepare(`SELECT count(*) AS n FROM ${table} WHERE person_id IN (${part.map(() => "?").join(",")})`)
          .bind(...part)
          .first<{ n: number }>();
        n += row?.n ?? 0;
      }
      return n;
    }),
  );
}

describe("person shards", () => {
  it("runs with 4 shards by default", () => {
    expect(shardDatabases(env)).toHaveLength(4);
  });

  it("spreads 200 new persons over every shard, none empty and none holding most of them", async () => {
    const persons = await applyMany(PERSONS);
    const ids = persons.map((p) => p.personId);
    for (const counts of [await perShard("persons", ids), await perShard("account_persons", ids)]) {
      // Each person (and each binding) stored exactly once…
      expect(counts.reduce((a, b) => a + b, 0)).toBe(PERSONS);
      // …and spread: no shard empty, none with half or more.
      for (const n of counts) {
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThan(PERSONS / 2);
      }
    }
    // Each on the shard the map names: the person's row by person, the binding by account.
    for (const p of persons.slice(0, 20)) {
      const row = await personShard(p.personId)
        .prepare("SELECT 1 AS one FROM persons WHERE person_id = ?")
        .bind(p.personId)
        .first();
      expect(row).not.toBeNull();
      const [binding] = await everyShard<{ account_id: string }>(
        "SELECT account_id FROM account_persons WHERE person_id = ?",
        p.personId,
      );
      const onAccountShard = await accountShardOf(binding!.account_id)
        .prepare("SELECT 1 AS one FROM account_persons WHERE person_id = ?")
        .bind(p.personId)
        .first();
      expect(onAccountShard).not.toBeNull();
    }
  }, 240_000);

  it("keeps a person's reads and writes working end to end, wherever their rows are", async () => {
    const persons = await applyMany(8);
    expect(
      new Set(persons.map((p) => shardDatabases(env).indexOf(personShard(p.personId)))).size,
    ).toBeGreaterThan(1);
    for (const p of persons) {
      const list = await call("GET", "/v1/persons", { token: p.token });
      expect(list.status).toBe(200);
      expect(list.body.persons.map((x: { personId: string }) => x.personId)).toEqual([p.personId]);
      const filed = await call("POST", `/v1/persons/${p.personId}/appeals`, {
        token: p.token,
        body: { kind: "question", text: "分片测试" },
      });
      expect(filed.status).toBe(201);
      const mine = await call("GET", `/v1/persons/${p.personId}/appeals`, { token: p.token });
      expect(mine.body.appeals.map((a: { appealId: string }) => a.appealId)).toEqual([filed.body.appealId]);
      const paper = await call("POST", `/v1/persons/${p.personId}/paper-code`, { token: p.token, body: {} });
      expect(paper.status).toBe(201);
      const page = await call("GET", `/v1/persons/${p.personId}/paper-code/${paper.body.codeId}.html`, {
        token: p.token,
      });
      expect(page.status).toBe(200);
    }
    // The authority's queue merges every shard, and an answer finds the appeal by id alone.
    const authority = await authorityToken();
    const queue = await call("GET", "/v1/authority/appeals?state=open&limit=500", { token: authority });
    const listed = new Map<string, string>(
      queue.body.appeals.map((a: { personId: string; appealId: string }) => [a.personId, a.appealId]),
    );
    for (const p of persons) expect(listed.has(p.personId)).toBe(true);
    const answered = await call("POST", `/v1/authority/appeals/${listed.get(persons[0]!.personId)}/answer`, {
      token: authority,
      body: { answer: "已处理" },
    });
    expect(answered.status).toBe(200);
    // Statistics (district counters fed by the person objects' outboxes) count every shard's persons.
    const everyShard = await countEveryShard("SELECT count(*) AS n FROM persons");
    await vi.waitUntil(
      async () => (await call("GET", "/v1/authority/stats", { token: authority })).body.total === everyShard,
      { timeout: 30_000, interval: 250 },
    );
  }, 120_000);

  it("stores a lab result beside its person and applies it", async () => {
    const [p] = await applyMany(1);
    const lab = await call("POST", "/v1/authority/labs", {
      token: await authorityToken(),
      body: { name: "Shard lab" },
    });
    const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const sent = await call("POST", "/v1/lab/results", {
      token: lab.body.labKey,
      body: {
        results: [
          {
            sampleId: `SHARD-${p!.personId}`,
            idType: "resident_id",
            idNumber: p!.idNumber,
            name: "张小三",
            test: "nucleic_acid",
            result: "positive",
            sampledAt: at(Date.now() - 3_600_000),
            reportedAt: at(Date.now() - 1_800_000),
          },
        ],
      },
    });
    expect(sent.status).toBe(202);
    await vi.waitUntil(async () => (await env.PERSON.getByName(p!.personId).summary())?.color === "red", {
      timeout: 15_000,
      interval: 100,
    });
    const row = await personShard(p!.personId)
      .prepare("SELECT result FROM test_results WHERE person_id = ?")
      .bind(p!.personId)
      .first<{ result: string }>();
    expect(row?.result).toBe("positive");
  }, 60_000);
});
