import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { migrateStorage, storageVersion } from "../../durable/storage-migrations";
import type { VenueObject } from "../../durable/venue";
import { VENUE_MIGRATIONS } from "../../durable/venue-migrations";
import { visitRow } from "./helpers";

const VENUE_TABLES = [
  "checkins",
  "manual_entries",
  "daily_counts",
  "hour_counts",
  "designations",
  "touched",
  "kv",
  "_migrations",
];

const at = (isoTime: string) => Date.parse(isoTime);
let n = 0;
const venueId = () => `ven_days_${Date.now().toString(36)}_${++n}`;

describe("a venue's per-day counts (the owner's statistics)", () => {
  it("count each inserted visit once, on its Asia/Shanghai day, by kind and colour", async () => {
    const id = venueId();
    const stub = env.VENUE.getByName(id);
    await stub.recordMany(
      [
        // 23:59:59.999 and 00:00 in Shanghai: two days, though the same UTC date.
        visitRow(id, "p-a", at("2026-11-30T15:59:59.999Z"), "ci_d_1", "成都东站"),
        visitRow(id, "p-b", at("2026-11-30T16:00:00.000Z"), "ci_d_2", "成都东站"),
        { ...visitRow(id, "p-c", at("2026-11-30T17:00:00.000Z"), "ci_d_3", "成都东站"), color: null },
        { ...visitRow(id, "p-d", at("2026-11-30T18:00:00.000Z"), "ci_d_4", "成都东站"), kind: "scan" },
      ],
      28,
    );
    // The same ids again (a retried check-in): nothing more is counted.
    await stub.record(visitRow(id, "p-a", at("2026-11-30T15:59:59.999Z"), "ci_d_1", "成都东站"), 28);
    await stub.record(visitRow(id, "p-b", at("2026-11-30T16:00:00.000Z"), "ci_d_2", "成都东站"), 28);
    expect(await stub.daily("2000-01-01")).toEqual([
      { day: "2026-11-30", kind: "printed", color: "green", n: 1 },
      { day: "2026-12-01", kind: "printed", color: "green", n: 1 },
      { day: "2026-12-01", kind: "printed", color: null, n: 1 },
      { day: "2026-12-01", kind: "scan", color: "green", n: 1 },
    ]);
  });

  it("an object built before migration 2 keeps its counts and counts on top of them", async () => {
    const id = venueId();
    const stub = env.VENUE.getByName(id);
    await runInDurableObject(stub, async (_: VenueObject, state) => {
      // Wound back to migration 1, with a count the object's earlier code wrote beside its visit.
      for (const t of VENUE_TABLES) state.storage.sql.exec(`DROP TABLE IF EXISTS ${t}`);
      state.storage.sql.exec("DROP TRIGGER IF EXISTS checkins_count_day");
      migrateStorage(state.storage, VENUE_MIGRATIONS.slice(0, 1));
      state.storage.sql.exec(
        "INSERT INTO checkins (check_in_id, person_id, kind, checked_in_at, color, presence) VALUES ('ci_old', 'p-old', 'printed', '2026-11-30T02:00:00.000Z', 'green', 'location')",
      );
      state.storage.sql.exec(
        "INSERT INTO daily_counts (day, kind, color, n) VALUES ('2026-11-30', 'printed', 'green', 1)",
      );
      expect(storageVersion(state.storage)).toBe(1);
      expect(migrateStorage(state.storage, VENUE_MIGRATIONS)).toEqual([2]);
    });
    await stub.record(visitRow(id, "p-new", at("2026-11-30T03:00:00.000Z"), "ci_new", "成都东站"), 28);
    await stub.record(visitRow(id, "p-old", at("2026-11-30T02:00:00.000Z"), "ci_old", "成都东站"), 28);
    expect(await stub.daily("2026-11-30")).toEqual([
      { day: "2026-11-30", kind: "printed", color: "green", n: 2 },
    ]);
  });
});
