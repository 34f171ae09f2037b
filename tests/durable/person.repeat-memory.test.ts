import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PersonObject } from "../../durable/person";
import { freshPerson, visitRow } from "./helpers";

/**
 * A re-scan inside the two-minute window is answered from what the person's object remembers of
 * the venue's latest visit, without SQL. These tests remove the stored rows behind the object's back
 * (as `checkins.objects.test.ts` does with the venue's copies): an answer that still names the
 * earlier visit came from memory, and one that records a new visit came from storage. Memory must
 * only ever give the answer storage would have given.
 */

type Stub = Awaited<ReturnType<typeof freshPerson>>["stub"];

const WINDOW = 2 * 60_000;
const check = (now: number, keyed: boolean) => ({
  dedupeSince: new Date(now - WINDOW).toISOString(),
  replaySince: null,
  keyed,
});
/** A visit by a fresh person at `venueId` at `at`, with or without an Idempotency-Key. */
async function aVisitor() {
  const { personId, stub } = await freshPerson();
  const visit = (venueId: string, checkInId: string, at: number, keyed = false) =>
    stub.recordCheckIn(visitRow(venueId, personId, at, checkInId, venueId), check(at, keyed), 28);
  return { personId, stub, visit };
}
const dropStoredVisits = (stub: Stub) =>
  runInDurableObject(stub, (_, state) => {
    state.storage.sql.exec("DELETE FROM checkins");
  });

describe("the person's object answers a repeat from memory", () => {
  it("a re-scan at the same venue inside the window is the first visit, with no storage read", async () => {
    const { personId, stub, visit } = await aVisitor();
    const now = Date.now();
    const first = await visit("ven_m1", "ci_mem_1", now);
    expect(first).toMatchObject({ created: true });
    await dropStoredVisits(stub);
    const again = await visit("ven_m1", "ci_mem_2", now + 1000);
    expect(again).toMatchObject({
      created: false,
      replayed: false,
      row: { checkInId: "ci_mem_1", personId },
    });
    // Another venue is not in memory: storage decides, and it records a new visit.
    const elsewhere = await visit("ven_m2", "ci_mem_3", now + 2000);
    expect(elsewhere).toMatchObject({ created: true, row: { checkInId: "ci_mem_3" } });
  });

  it("after the window, the same venue is a new visit", async () => {
    const { stub, visit } = await aVisitor();
    const now = Date.now();
    await visit("ven_w", "ci_win_1", now - WINDOW - 1000);
    const later = await visit("ven_w", "ci_win_2", now);
    expect(later).toMatchObject({ created: true, row: { checkInId: "ci_win_2" } });
    expect((await stub.checkIns(10)).map((r) => r.checkInId)).toEqual(["ci_win_2", "ci_win_1"]);
  });

  it("with an Idempotency-Key, memory answers only the key's own visit; another key goes to storage", async () => {
    const { stub, visit } = await aVisitor();
    const now = Date.now();
    await visit("ven_k", "ci_key_1", now, true);
    await dropStoredVisits(stub);
    const retry = await visit("ven_k", "ci_key_1", now + 500, true);
    expect(retry).toMatchObject({ created: false, row: { checkInId: "ci_key_1" } });
    // A visit stored under another key may exist outside the window: only storage knows.
    const otherKey = await visit("ven_k", "ci_key_2", now + 900, true);
    expect(otherKey).toMatchObject({ created: true, row: { checkInId: "ci_key_2" } });
  });

  it("a key's earlier visit outside the window is still the answer to that key, not the venue's latest visit", async () => {
    const { visit } = await aVisitor();
    const now = Date.now();
    const old = now - WINDOW - 60_000;
    await visit("ven_o", "ci_old_key", old, true);
    await visit("ven_o", "ci_latest", now);
    const sameKey = await visit("ven_o", "ci_old_key", now + 100, true);
    expect(sameKey).toMatchObject({ created: false, row: { checkInId: "ci_old_key" } });
  });

  it("a visit voided on appeal is answered as voided", async () => {
    const { stub, visit } = await aVisitor();
    const now = Date.now();
    await visit("ven_v", "ci_void_1", now);
    const voidedAt = new Date(now + 100).toISOString();
    await stub.voidCheckIn("ci_void_1", voidedAt);
    const again = await visit("ven_v", "ci_void_2", now + 200);
    expect(again).toMatchObject({ created: false, row: { checkInId: "ci_void_1", voidedAt } });
  });

  it("a repeat read from storage is remembered too", async () => {
    const { personId, stub, visit } = await aVisitor();
    const now = Date.now();
    await visit("ven_s", "ci_st_1", now);
    // A new instance over the same storage (what the runtime builds after an eviction) knows nothing:
    // its first repeat reads storage; once the rows are gone, its second is answered from memory.
    const answers = await runInDurableObject(stub, async (_, state) => {
      const fresh = new PersonObject(state, env);
      const at = (checkInId: string, ms: number) =>
        fresh.recordCheckIn(visitRow("ven_s", personId, ms, checkInId, "S"), check(ms, false), 28);
      const fromStorage = await at("ci_st_2", now + 100);
      state.storage.sql.exec("DELETE FROM checkins");
      const fromMemory = await at("ci_st_3", now + 200);
      return [fromStorage, fromMemory];
    });
    expect(answers).toMatchObject([
      { created: false, row: { checkInId: "ci_st_1" } },
      { created: false, row: { checkInId: "ci_st_1" } },
    ]);
  });
});
