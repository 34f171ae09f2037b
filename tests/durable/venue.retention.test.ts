import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { VenueObject } from "../../durable/venue";
import { DAY, freshPerson, iso, visitRow } from "./helpers";

let n = 0;
const visit = (venueId: string, personId: string, at: number, id = `ci_ret_${++n}`) =>
  visitRow(venueId, personId, at, id, "锦江农贸市场");
const check = { dedupeSince: iso(Date.now() - 120_000), replaySince: null };

describe("check-ins leave the objects after CHECKIN_RETENTION_DAYS, by alarm", () => {
  it("the venue object deletes visits, manual entries and day counts older than the window and keeps newer ones", async () => {
    const venueId = `ven_retention_${Date.now()}`;
    const stub = env.VENUE.getByName(venueId);
    const now = Date.now();
    for (let i = 0; i < 30; i++)
      await stub.record(visit(venueId, `p-old-${i}`, now - 29 * DAY - i * 60_000), 28);
    await stub.record(visit(venueId, "p-recent", now - 27 * DAY, "ci_ret_recent"), 28);
    await stub.record(visit(venueId, "p-today", now, "ci_ret_today"), 28);
    const entry = (entryId: string, at: number) => ({
      entryId,
      deviceKeyId: "key_x",
      nameEnc: "v1.x",
      phoneEnc: "v1.y",
      personId: null,
      enteredAt: iso(at),
    });
    await stub.addManualEntry(venueId, entry("me_old", now - 40 * DAY), 28);
    await stub.addManualEntry(venueId, entry("me_new", now), 28);
    const before = await stub.daily("2000-01-01");
    expect(before.reduce((s, d) => s + d.n, 0)).toBe(32);

    // The alarm is set for when the oldest row leaves the window (already past): it runs now.
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const left = await runInDurableObject(stub, async (_: VenueObject, state) => ({
      visits: state.storage.sql
        .exec<{ check_in_id: string }>("SELECT check_in_id FROM checkins ORDER BY checked_in_at")
        .toArray()
        .map((r) => r.check_in_id),
      entries: state.storage.sql
        .exec<{ entry_id: string }>("SELECT entry_id FROM manual_entries")
        .toArray()
        .map((r) => r.entry_id),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left.visits).toEqual(["ci_ret_recent", "ci_ret_today"]);
    expect(left.entries).toEqual(["me_new"]);
    expect((await stub.daily("2000-01-01")).reduce((s, d) => s + d.n, 0)).toBe(2);
    // The next alarm is when the oldest kept visit leaves the window.
    expect(left.alarm).toBe(now - 27 * DAY + 28 * DAY);
  });

  it("the person object deletes its own old check-ins by its alarm, beside its reviews and outbox", async () => {
    const { personId, stub } = await freshPerson();
    const now = Date.now();
    await stub.recordCheckIn(visit("ven_a", personId, now - 30 * DAY, "ci_person_old"), check, 28);
    await stub.recordCheckIn(visit("ven_b", personId, now - DAY, "ci_person_recent"), check, 28);
    expect((await stub.checkIns(10)).map((c) => c.checkInId)).toEqual(["ci_person_recent", "ci_person_old"]);
    // The alarm may first flush the person's outbox (their creation): run it until nothing is due.
    for (let i = 0; i < 3 && (await runDurableObjectAlarm(stub)); i++);
    expect((await stub.checkIns(10)).map((c) => c.checkInId)).toEqual(["ci_person_recent"]);
    expect(await stub.summary()).toMatchObject({ color: "green" });
  });
});
