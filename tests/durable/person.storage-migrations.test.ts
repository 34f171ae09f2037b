import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PersonObject } from "../../durable/person";
import { PERSON_MIGRATIONS } from "../../durable/person-migrations";
import { migrateStorage, storageVersion } from "../../durable/storage-migrations";
import { applied, subscribed } from "../helpers/notify";
import { personShard } from "../helpers/shards";
import { DAY, event, freshPerson, HOUR, result } from "./helpers";

const PERSON_TABLES = [
  "facts",
  "history",
  "kv",
  "notices",
  "outbox",
  "managers",
  "person_record",
  "checkins",
  "push_targets",
  "push_accounts",
  "push_sent",
  "_migrations",
];

const tables = (storage: DurableObjectStorage) =>
  storage.sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .toArray()
    .map((r) => r.name)
    .filter((name) => !name.startsWith("_cf_"))
    .sort();
const indexNames = (storage: DurableObjectStorage) =>
  storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .toArray()
    .map((r) => r.name);
const ledger = (storage: DurableObjectStorage) =>
  storage.sql
    .exec<{ version: number }>("SELECT version FROM _migrations ORDER BY version")
    .toArray()
    .map((r) => r.version);

let n = 0;
/** A person object whose storage was built by migration 1 alone, then written by the object's code. */
async function personWrittenByMigrationOne() {
  const personId = `storage-v1-${Date.now().toString(36)}-${++n}`;
  await personShard(personId)
    .prepare(
      "INSERT INTO persons (person_id, id_type, name_enc, masked_name, district_code, created_at) VALUES (?, 'resident_id', 'x', '*', '510104', ?)",
    )
    .bind(personId, new Date().toISOString())
    .run();
  const stub = env.PERSON.getByName(personId);
  const now = Date.now();
  const written = await runInDurableObject(stub, async (object: PersonObject, state) => {
    // The object's first start already ran every migration: wind its storage back to nothing, then
    // build it with migration 1 only, as an object created before migration 2 existed was.
    for (const t of PERSON_TABLES) state.storage.sql.exec(`DROP TABLE IF EXISTS ${t}`);
    migrateStorage(state.storage, PERSON_MIGRATIONS.slice(0, 1));
    await object.init({ personId, districtCode: "510104" });
    await object.addFacts([
      result("v1-neg", "negative", now - 2 * DAY),
      event("v1-contact", "close_contact", now - HOUR),
    ]);
    return {
      version: storageVersion(state.storage),
      indexes: indexNames(state.storage),
      status: await object.status(),
      facts: await object.facts(),
    };
  });
  return { stub, written };
}

describe("person object storage is versioned", () => {
  it("an object written under migration 1 opens under migration 2 with its data intact and the new index", async () => {
    const { stub, written } = await personWrittenByMigrationOne();
    expect(written.version).toBe(1);
    expect(written.indexes).not.toContain("facts_added");
    expect(written.status?.state.color).toBe("red");
    expect(written.facts).toHaveLength(2);

    const reopened = await runInDurableObject(stub, async (_, state) => {
      // A new instance over the same storage: what a deploy with migration 2 starts.
      const object = new PersonObject(state, env);
      // Queued behind the constructor's blockConcurrencyWhile: returns once the upgrade has run.
      await state.blockConcurrencyWhile(async () => {});
      return {
        ledger: ledger(state.storage),
        indexes: indexNames(state.storage),
        plan: state.storage.sql
          .exec<{ detail: string }>(
            "EXPLAIN QUERY PLAN SELECT body, added_at FROM facts ORDER BY added_at, id",
          )
          .toArray()
          .map((r) => r.detail)
          .join("; "),
        status: await object.status(),
        facts: await object.facts(),
      };
    });
    expect(reopened.ledger).toEqual(PERSON_MIGRATIONS.map((m) => m.version));
    expect(reopened.indexes).toContain("facts_added");
    expect(reopened.plan).toContain("facts_added");
    expect(reopened.facts).toEqual(written.facts);
    expect(reopened.status).toEqual(written.status);

    // And it goes on working: a new fact lands beside the old ones.
    await stub.addFacts([result("v2-neg", "negative", Date.now() - HOUR)]);
    expect((await stub.facts()).map((f) => f.id)).toEqual([
      ...written.facts.map((f) => f.id),
      "result:lab_test:v2-neg",
    ]);
  });

  it("an object from before migration 5 opens with the push tables, and reads its managers' subscriptions from D1 once", async () => {
    const { token, personId } = await applied("storage-v4-push");
    const phone = await subscribed(token);
    const stub = env.PERSON.getByName(personId);
    const out = await runInDurableObject(stub, async (_, state) => {
      // Wind the storage back to migration 4: what an object created before this issue holds.
      for (const t of ["push_targets", "push_accounts", "push_sent"])
        state.storage.sql.exec(`DROP TABLE ${t}`);
      state.storage.sql.exec("DROP INDEX checkins_venue_at");
      state.storage.sql.exec("DROP INDEX checkins_code");
      state.storage.sql.exec("ALTER TABLE checkins DROP COLUMN venue_kept");
      state.storage.sql.exec("DELETE FROM _migrations WHERE version >= 5");
      const before = storageVersion(state.storage);
      const object = new PersonObject(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const { targets } = await object.pushTargets({ audience: "all", changeKey: "upgrade" });
      return {
        before,
        ledger: ledger(state.storage),
        tables: tables(state.storage),
        targets: targets.map((t) => t.endpoint),
        seeded: state.storage.sql.exec("SELECT count(*) AS n FROM push_accounts").one().n,
        status: await object.status(),
      };
    });
    expect(out.before).toBe(4);
    expect(out.ledger).toEqual(PERSON_MIGRATIONS.map((m) => m.version));
    expect(out.tables).toEqual([...PERSON_TABLES].sort());
    expect(out.targets).toEqual([phone.subscription.endpoint]);
    expect(out.seeded).toBe(1);
    expect(out.status?.state.color).toBe("green");
  });

  it("a new object runs every migration once; running them again does nothing", async () => {
    const { stub } = await freshPerson();
    const out = await runInDurableObject(stub, (_, state) => ({
      again: migrateStorage(state.storage, PERSON_MIGRATIONS),
      ledger: ledger(state.storage),
      tables: tables(state.storage),
    }));
    expect(out.again).toEqual([]);
    expect(out.ledger).toEqual(PERSON_MIGRATIONS.map((m) => m.version));
    expect(out.tables).toEqual([...PERSON_TABLES].sort());
  });

  it("a migration that fails leaves the storage as it was, the ones before it in the same run included", async () => {
    const { stub } = await freshPerson();
    const out = await runInDurableObject(stub, (_, state) => {
      const next = PERSON_MIGRATIONS.length + 1;
      let error = "";
      try {
        migrateStorage(state.storage, [
          ...PERSON_MIGRATIONS,
          { version: next, name: "fine", sql: "CREATE TABLE scratch_fine (x TEXT)" },
          { version: next + 1, name: "broken", sql: "INSERT INTO no_such_table VALUES (1)" },
        ]);
      } catch (err) {
        error = String(err);
      }
      return { error, version: storageVersion(state.storage), tables: tables(state.storage) };
    });
    expect(out.error).toMatch(/no_such_table/);
    expect(out.version).toBe(PERSON_MIGRATIONS.length);
    expect(out.tables).not.toContain("scratch_fine");
  });

  it("refuses a list that is not numbered 1, 2, 3, ... before touching storage", async () => {
    const { stub } = await freshPerson();
    const out = await runInDurableObject(stub, (_, state) => {
      const renumbered = [
        ...PERSON_MIGRATIONS,
        { version: 9, name: "skips ahead", sql: "CREATE TABLE scratch_skip (x)" },
      ];
      let error = "";
      try {
        migrateStorage(state.storage, renumbered);
      } catch (err) {
        error = String(err);
      }
      return { error, version: storageVersion(state.storage), tables: tables(state.storage) };
    });
    expect(out.error).toContain(`numbered 9, expected ${PERSON_MIGRATIONS.length + 1}`);
    expect(out.version).toBe(PERSON_MIGRATIONS.length);
    expect(out.tables).not.toContain("scratch_skip");
  });
});
