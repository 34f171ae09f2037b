import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
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
const dropStoredVisits = (stub: Stub) =>
  runInDurableObject(stub, (_, state) => {
    state.storage.sql.exec("DELETE FROM checkins");
  });

describe("the person's object answers a repeat from memory", () => {
  it("a re-scan at the same venue inside the window is the first visit, with no storage read", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    const first = await stub.recordCheckIn(
      visitRow("ven_m1", personId, now, "ci_mem_1", "M1"),
      check(now, false),
      28,
    );
    expect(first).toMatchObject({ created: true });
    await dropStoredVisits(stub);
    const again = await stub.recordCheckIn(
      visitRow("ven_m1", personId, now + 1000, "ci_mem_2", "M1"),
      check(now + 1000, false),
      28,
    );
    expect(again).toMatchObject({
      created: false,
      replayed: false,
      row: { checkInId: "ci_mem_1", personId },
    });
    // Another venue is not in memory: storage decides, and it records a new visit.
    const elsewhere = await stub.recordCheckIn(
      visitRow("ven_m2", personId, now + 2000, "ci_mem_3", "M2"),
      check(now + 2000, false),
      28,
    );
    expect(elsewhere).toMatchObject({ created: true, row: { checkInId: "ci_mem_3" } });
  });

  it("after the window, the same venue is a new visit", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    await stub.recordCheckIn(
      visitRow("ven_w", personId, now - WINDOW - 1000, "ci_win_1", "W"),
      check(now - WINDOW - 1000, false),
      28,
    );
    const later = await stub.recordCheckIn(
      visitRow("ven_w", personId, now, "ci_win_2", "W"),
      check(now, false),
      28,
    );
    expect(later).toMatchObject({ created: true, row: { checkInId: "ci_win_2" } });
    expect((await stub.checkIns(10)).map((r) => r.checkInId)).toEqual(["ci_win_2", "ci_win_1"]);
  });

  it("with an Idempotency-Key, memory answers only the key's own visit; another key goes to storage", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    await stub.recordCheckIn(visitRow("ven_k", personId, now, "ci_key_1", "K"), check(now, true), 28);
    await dropStoredVisits(stub);
    const retry = await stub.recordCheckIn(
      visitRow("ven_k", personId, now + 500, "ci_key_1", "K"),
      check(now + 500, true),
      28,
    );
    expect(retry).toMatchObject({ created: false, row: { checkInId: "ci_key_1" } });
    // A visit stored under another key may exist outside the window: only storage knows.
    const otherKey = await stub.recordCheckIn(
      visitRow("ven_k", personId, now + 900, "ci_key_2", "K"),
      check(now + 900, true),
      28,
    );
    expect(otherKey).toMatchObject({ created: true, row: { checkInId: "ci_key_2" } });
  });

  it("a key's earlier visit outside the window is still the answer to that key, not the venue's latest visit", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    const old = now - WINDOW - 60_000;
    await stub.recordCheckIn(visitRow("ven_o", personId, old, "ci_old_key", "O"), check(old, true), 28);
    await stub.recordCheckIn(visitRow("ven_o", personId, now, "ci_latest", "O"), check(now, false), 28);
    const sameKey = await stub.recordCheckIn(
      visitRow("ven_o", personId, now + 100, "ci_old_key", "O"),
      check(now + 100, true),
      28,
    );
    expect(sameKey).toMatchObject({ created: false, row: { checkInId: "ci_old_key" } });
  });

  it("a visit voided on appeal is answered as voided", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    await stub.recordCheckIn(visitRow("ven_v", personId, now, "ci_void_1", "V"), check(now, false), 28);
    const voidedAt = new Date(now + 100).toISOString();
    await stub.voidCheckIn("ci_void_1", voidedAt);
    const again = await stub.recordCheckIn(
      visitRow("ven_v", personId, now + 200, "ci_void_2", "V"),
      check(now + 200, false),
      28,
    );
    expect(again).toMatchObject({ created: false, row: { checkInId: "ci_void_1", voidedAt } });
  });

  it("a repeat read from storage is remembered too", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    await stub.recordCheckIn(visitRow("ven_s", personId, now, "ci_st_1", "S"), check(now, true), 28);
    // The keyed visit is remembered; a keyless repeat reads the latest from storage and keeps it.
    const keyless = await stub.recordCheckIn(
      visitRow("ven_s", personId, now + 100, "ci_st_2", "S"),
      check(now + 100, false),
      28,
    );
    expect(keyless).toMatchObject({ created: false, row: { checkInId: "ci_st_1" } });
    await dropStoredVisits(stub);
    const third = await stub.recordCheckIn(
      visitRow("ven_s", personId, now + 200, "ci_st_3", "S"),
      check(now + 200, false),
      28,
    );
    expect(third).toMatchObject({ created: false, row: { checkInId: "ci_st_1" } });
  });
});
