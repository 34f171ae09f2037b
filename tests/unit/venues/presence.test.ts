import { describe, expect, it } from "vitest";
import { presenceOf, tallyAffected, type VisitRow, visitExposes } from "../../../workers/venues/presence";

describe("presence: how being at the venue was shown", () => {
  it("a printed poster proves presence only with a device location inside the radius", () => {
    const printed = { lane: "place_code", placeKind: "printed", radiusM: 1000 } as const;
    expect(presenceOf({ ...printed, distanceM: 120 })).toBe("location");
    expect(presenceOf({ ...printed, distanceM: 1000 })).toBe("location");
    expect(presenceOf({ ...printed, distanceM: null })).toBe("unconfirmed");
    expect(presenceOf({ lane: "place_code", placeKind: "rotating", distanceM: null, radiusM: 1000 })).toBe(
      "rotating_code",
    );
  });

  it("a staff scan proves presence only for a live code issued within the last minute", () => {
    const now = 1_800_000_000;
    expect(presenceOf({ lane: "scan", codeKind: "live", issuedAtS: now - 5, nowS: now })).toBe("staff_scan");
    expect(presenceOf({ lane: "scan", codeKind: "live", issuedAtS: now - 60, nowS: now })).toBe("staff_scan");
    expect(presenceOf({ lane: "scan", codeKind: "live", issuedAtS: now - 61, nowS: now })).toBe(
      "unconfirmed",
    );
    // A paper code is days old by design: a photocopy scans the same.
    expect(presenceOf({ lane: "scan", codeKind: "paper", issuedAtS: now - 5, nowS: now })).toBe(
      "unconfirmed",
    );
    expect(presenceOf({ lane: "manual" })).toBe("unconfirmed");
  });
});

describe("what a designation reaches", () => {
  const rows: VisitRow[] = [
    // a: confirmed once, unconfirmed elsewhere → confirmed
    { personId: "a", kind: "printed", presence: "location" },
    { personId: "a", kind: "manual", presence: "unconfirmed" },
    // b: only a manual entry
    { personId: "b", kind: "manual", presence: "unconfirmed" },
    // c: an older scan and a poster without location
    { personId: "c", kind: "scan", presence: "unconfirmed" },
    { personId: "c", kind: "printed", presence: "unconfirmed" },
    // d: a fresh scan
    { personId: "d", kind: "scan", presence: "staff_scan" },
    // e: its only visit voided on appeal → not reached at all
    { personId: "e", kind: "printed", presence: "location", voidedAt: "2026-11-29T00:00:00Z" },
  ];

  it("counts persons there only through unconfirmed visits, and by cause", () => {
    expect(tallyAffected(rows)).toEqual({
      persons: 4,
      unconfirmedOnly: 2,
      byCause: { manual_entry: 1, older_scan: 1, unconfirmed_check_in: 1 },
    });
    expect(tallyAffected([])).toEqual({
      persons: 0,
      unconfirmedOnly: 0,
      byCause: { manual_entry: 0, older_scan: 0, unconfirmed_check_in: 0 },
    });
  });

  it("excludeUnconfirmed leaves exactly the unconfirmed-only persons out", () => {
    const reached = new Set(
      rows.filter((r) => visitExposes(r, { excludeUnconfirmed: true })).map((r) => r.personId),
    );
    expect([...reached].sort()).toEqual(["a", "d"]);
    const all = new Set(
      rows.filter((r) => visitExposes(r, { excludeUnconfirmed: false })).map((r) => r.personId),
    );
    expect([...all].sort()).toEqual(["a", "b", "c", "d"]);
    const t = tallyAffected(rows);
    expect(reached.size).toBe(t.persons - t.unconfirmedOnly);
  });
});
