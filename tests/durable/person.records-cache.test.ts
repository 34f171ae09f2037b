import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Application } from "../../durable/managers";
import type { PersonObject } from "../../durable/person";
import type { ColorState } from "../../durable/rules/transition";
import { freshPerson, HOUR, result } from "./helpers";

/**
 * The person object keeps its state, metadata and managers in memory (every code refresh, verification
 * and check-in reads them): what it answers must stay what its storage holds, a rolled-back write
 * included.
 */

const application = (accountId: string, n: number): Application => ({
  accountId,
  relationship: "self",
  proven: true,
  nameMac: "mac-of-name",
  assertedNameMac: "mac-of-name",
  allowNew: true,
  newId: `mgr_cache_${n}`,
  now: new Date().toISOString(),
});

type Stub = Awaited<ReturnType<typeof freshPerson>>["stub"];

/** The colour and the managing accounts as stored, read with SQL rather than through the object. */
const stored = (stub: Stub) =>
  runInDurableObject(stub, (_, state) => {
    const v = state.storage.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = 'state'").one().v;
    const accounts = state.storage.sql
      .exec<{ account_id: string }>("SELECT account_id FROM managers ORDER BY created_at, id")
      .toArray()
      .map((r) => r.account_id);
    return { color: (JSON.parse(v) as ColorState).color, accounts };
  });

/** The object's private storage wrappers, for the rollback cases. */
interface Internals {
  transaction<T>(fn: () => T): T;
  store: { saveState(s: ColorState): void; state(): ColorState | null };
  managers: { upsert(rows: unknown[]): void; all(): { accountId: string }[] };
}

describe("the person object's records in memory", () => {
  it("follow every write: a new manager and a colour change show at once in what the object answers", async () => {
    const { stub } = await freshPerson();
    expect((await stub.accessAndSummary("acct-a")).access).toBeNull();
    await stub.applyManager(application("acct-a", 1), null);
    const seen = await stub.accessAndSummary("acct-a");
    expect(seen.access?.self).toBe(true);
    expect(seen.summary?.color).toBe("green");
    await stub.addFacts([result("pos", "positive", Date.now() - HOUR)]);
    expect((await stub.accessAndSummary("acct-a")).summary?.color).toBe("red");
    expect(await stored(stub)).toEqual({ color: "red", accounts: ["acct-a"] });
  });

  it("forget a state and a manager whose transaction rolled back", async () => {
    const { stub } = await freshPerson();
    await stub.applyManager(application("acct-b", 2), null);
    expect((await stub.accessAndSummary("acct-b")).summary?.color).toBe("green");
    await runInDurableObject(stub, (instance: PersonObject) => {
      const inside = instance as unknown as Internals;
      const state = inside.store.state()!;
      const manager = inside.managers.all()[0]!;
      expect(() =>
        inside.transaction(() => {
          inside.store.saveState({ ...state, color: "red" });
          inside.managers.upsert([{ ...manager, id: "mgr_rolled_back", accountId: "acct-intruder" }]);
          throw new Error("rolled back");
        }),
      ).toThrow("rolled back");
      // Read through the object, as a route's call would.
      expect(inside.store.state()?.color).toBe("green");
      expect(inside.managers.all().map((m) => m.accountId)).toEqual(["acct-b"]);
    });
    expect((await stub.accessAndSummary("acct-intruder")).access).toBeNull();
    expect((await stub.accessAndSummary("acct-b")).summary?.color).toBe("green");
    expect(await stored(stub)).toEqual({ color: "green", accounts: ["acct-b"] });
  });
});
