import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY, exposure, freshPerson, HOUR, visitRow } from "./helpers";

/**
 * A person whose alarm has run dry (nothing due) is the common case at a venue's door: their first
 * check-in sets the alarm from what the object knows, without reading the current alarm or the oldest
 * check-in. That shortcut must never set the alarm later than something already due.
 */

type Stub = Awaited<ReturnType<typeof freshPerson>>["stub"];

const check = (now: number) => ({ dedupeSince: new Date(now - 2 * 60_000).toISOString(), replaySince: null });
const alarmOf = (stub: Stub) => runInDurableObject(stub, (_, state) => state.storage.getAlarm());
/** Creation leaves an outbox to flush: runs the alarm until nothing is due. */
const runDry = async (stub: Stub) => {
  for (let i = 0; i < 5 && (await runDurableObjectAlarm(stub)); i++);
};

describe("the person's alarm after it ran dry", () => {
  it("is set by the first check-in at that visit's expiry, and a later visit keeps the earlier time", async () => {
    const { personId, stub } = await freshPerson();
    await runDry(stub);
    expect(await alarmOf(stub)).toBeNull();
    const now = Date.now();
    await stub.recordCheckIn(visitRow("ven_a", personId, now - DAY, "ci_dry_1", "A"), check(now), 28);
    expect(await alarmOf(stub)).toBe(now - DAY + 28 * DAY);
    await stub.recordCheckIn(visitRow("ven_b", personId, now, "ci_dry_2", "B"), check(now), 28);
    expect(await alarmOf(stub)).toBe(now - DAY + 28 * DAY);
  });

  it("stays at a review that is due sooner than a new visit's expiry", async () => {
    const { personId, stub } = await freshPerson();
    await runDry(stub);
    const now = Date.now();
    // A close contact: yellow until a review; the alarm flushes the change once, then waits for it
    // (run again here, it would evaluate at the review time: that is how tests fire a review).
    await stub.addFacts([exposure("dry", now - HOUR)]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const reviewAt = (await stub.summary())?.reviewAt;
    expect(reviewAt).toBeTruthy();
    expect(await alarmOf(stub)).toBe(Date.parse(reviewAt!));
    await stub.recordCheckIn(visitRow("ven_c", personId, now, "ci_dry_3", "C"), check(now), 28);
    expect(await alarmOf(stub)).toBe(Date.parse(reviewAt!));
  });
});
