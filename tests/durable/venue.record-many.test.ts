import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { iso, visitRow } from "./helpers";

const visit = (venueId: string, personId: string, at: number, id: string) =>
  visitRow(venueId, personId, at, id, "成都东站");

describe("the venue object records many visits in one call (bulk loads) as it records one", () => {
  it("inserts each once, counts each for the day, and matches a designation delivered between calls", async () => {
    const venueId = `ven_many_${Date.now()}`;
    const stub = env.VENUE.getByName(venueId);
    const now = Date.now();
    const first = await stub.recordMany(
      [visit(venueId, "p-a", now - 60_000, "ci_m_a"), visit(venueId, "p-b", now - 30_000, "ci_m_b")],
      28,
    );
    expect(first.map((r) => [r.row.checkInId, r.inserted, r.covering.length])).toEqual([
      ["ci_m_a", true, 0],
      ["ci_m_b", true, 0],
    ]);
    // A designation reaching the venue after the object has read (and kept) its designations in force:
    // the next visits in its window still match it, and a repeated id is the stored row, not a new one.
    await stub.designate(venueId, {
      riskAreaId: "ra_many",
      level: "high",
      from: iso(now - 3_600_000),
      to: iso(now + 3_600_000),
      reason: "test",
      excludeUnconfirmed: false,
    });
    const second = await stub.recordMany(
      [visit(venueId, "p-a", now, "ci_m_a"), visit(venueId, "p-c", now, "ci_m_c")],
      28,
    );
    expect(second.map((r) => [r.row.checkInId, r.inserted, r.covering.map((d) => d.riskAreaId)])).toEqual([
      ["ci_m_a", false, ["ra_many"]],
      ["ci_m_c", true, ["ra_many"]],
    ]);
    expect(second[0]!.row.checkedInAt).toBe(iso(now - 60_000));
    const days = await stub.daily("2000-01-01");
    expect(days.reduce((sum, d) => sum + d.n, 0)).toBe(3);
    expect(await stub.touched("ra_many", "", 10)).toEqual(["p-a", "p-c"]);
  });
});
