// Where audit rows go (workers/audit/log.ts) and how long they stay (workers/audit/retention.ts): a
// staff look-up on the looked-up person's shard, an authority action in the registry; each place its
// own window, swept by the scheduled job.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { auditOfPerson } from "../../workers/audit/read";
import { config } from "../../workers/config";
import { shardDatabases } from "../../workers/lib/shards";
import { runScheduled } from "../../workers/scheduled";
import { authorityToken, call, env } from "../helpers/api";
import { auditRows, registryAudit, shardAudit } from "../helpers/audit";
import { personShard } from "../helpers/shards";
import { aPerson, aVerifiedVenue } from "./venues.fixtures";

const NAME = "张小三";
const DAY = 86_400_000;

describe("audit placement", () => {
  it("a staff look-up is audited on the looked-up person's shard only; an authority event on them stays in the registry; both read back together", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const visitor = await aPerson("visitor");
    const res = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: visitor.idNumber, name: NAME },
    });
    expect(res.status).toBe(200);

    const home = personShard(visitor.personId);
    const onHome = await home
      .prepare("SELECT actor_kind, actor, action, detail FROM person_audit WHERE target = ?")
      .bind(visitor.personId)
      .all<{ actor_kind: string; actor: string; action: string; detail: string }>();
    const lookups = onHome.results.filter((r) => r.action === "venue.lookup");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({
      actor_kind: "device",
      actor: `${venue.venueId}/${venue.deviceKeyId}`,
    });
    expect(JSON.parse(lookups[0]!.detail)).toMatchObject({ result: "found", venueId: venue.venueId });
    // Nowhere else: not the registry, not another shard.
    expect(await registryAudit("target = ?", visitor.personId)).toEqual([]);
    expect((await shardAudit("target = ? AND action = 'venue.lookup'", visitor.personId)).length).toBe(1);

    const event = await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: {
        idType: "resident_id",
        idNumber: visitor.idNumber,
        kind: "close_contact",
        occurredAt: new Date(Date.now() - DAY).toISOString(),
        reason: "shared a train car with a case",
      },
    });
    expect(event.status).toBe(202);
    expect(
      (await registryAudit("target = ?", visitor.personId)).map((r) => [r.action, r.actor_kind]),
    ).toEqual([["authority_event.close_contact", "authority"]]);
    expect(await shardAudit("target = ? AND action LIKE 'authority_event.%'", visitor.personId)).toEqual([]);

    // The person's whole audit, from both places, oldest first.
    const all = (await auditOfPerson(env, visitor.personId)).map((r) => r.action);
    expect(all).toEqual(["venue.lookup", "authority_event.close_contact"]);
  });

  it("a look-up refused before any identity is read is audited in the registry (there is no person to file it under)", async () => {
    const owner = await aPerson("owner");
    const venue = await aVerifiedVenue(owner.token);
    const res = await call("POST", "/v1/venue/lookup", {
      token: venue.deviceKey,
      body: { idType: "resident_id", idNumber: "510104197001011234", name: NAME },
    });
    expect(res.status).toBe(400);
    const rows = await auditRows(
      "action = 'venue.lookup' AND actor = ?",
      `${venue.venueId}/${venue.deviceKeyId}`,
    );
    expect(rows.map((r) => [r.target, JSON.parse(r.detail!).result])).toEqual([[null, "invalid"]]);
    expect(
      (await registryAudit("action = 'venue.lookup' AND actor = ?", `${venue.venueId}/${venue.deviceKeyId}`))
        .length,
    ).toBe(1);
  });
});

describe("audit retention", () => {
  it("the scheduled job deletes rows older than each window, in batches, and keeps the newer", async () => {
    const now = Date.now();
    const { auditRetentionDays, registryAuditRetentionDays } = config(env);
    expect([auditRetentionDays, registryAuditRetentionDays]).toEqual([30, 365]);
    const iso = (ms: number) => new Date(ms).toISOString();
    const oldPerson = iso(now - (auditRetentionDays + 1) * DAY);
    const keptPerson = iso(now - (auditRetentionDays - 1) * DAY);
    // More old rows on one shard than one DELETE takes, so the sweep must loop.
    const shards = shardDatabases(env);
    const insert = (db: D1Database, at: string, target: string) =>
      db
        .prepare(
          "INSERT INTO person_audit (at, actor_kind, actor, action, target) VALUES (?, 'device', 'v/k', 'venue.lookup', ?)",
        )
        .bind(at, target);
    const first = shards[0]!;
    const olds = Array.from({ length: 2_500 }, (_, i) => insert(first, oldPerson, `retention-old-${i}`));
    for (let i = 0; i < olds.length; i += 500) await first.batch(olds.slice(i, i + 500));
    for (const [i, db] of shards.entries()) {
      await insert(db, oldPerson, `retention-old-shard-${i}`).run();
      await insert(db, keptPerson, `retention-kept-shard-${i}`).run();
    }
    const registryRow = (at: string, target: string) =>
      env.DB.prepare(
        "INSERT INTO audit_log (at, actor_kind, actor, action, target) VALUES (?, 'authority', 'a|b', 'risk_area.lift', ?)",
      )
        .bind(at, target)
        .run();
    // A registry row older than the person window but within its own stays.
    await registryRow(iso(now - (registryAuditRetentionDays + 1) * DAY), "retention-registry-old");
    await registryRow(iso(now - (registryAuditRetentionDays - 1) * DAY), "retention-registry-kept");
    await registryRow(oldPerson, "retention-registry-recent");

    await runScheduled(
      { scheduledTime: now, cron: "*/15 * * * *", noRetry() {} } as ScheduledController,
      env,
      createExecutionContext(),
    );

    expect(await shardAudit("target LIKE 'retention-old-%'")).toEqual([]);
    expect((await shardAudit("target LIKE 'retention-kept-%'")).map((r) => r.target).sort()).toEqual(
      shards.map((_, i) => `retention-kept-shard-${i}`).sort(),
    );
    expect((await registryAudit("target LIKE 'retention-registry-%'")).map((r) => r.target)).toEqual([
      "retention-registry-kept",
      "retention-registry-recent",
    ]);
  });
});
