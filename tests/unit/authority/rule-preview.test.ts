import { describe, expect, it } from "vitest";
import {
  changeList,
  districtList,
  type EvaluatedPerson,
  mergeTally,
  tallyPage,
} from "../../../durable/preview-tally";
import { DEFAULT_RULE_SET } from "../../../durable/rules/default-rule-set";
import { idRange, inRange, validRangeCount } from "../../../workers/authority/preview-ranges";
import { type GateInput, PREVIEW_VALID_MS, publishGate } from "../../../workers/authority/publish-gate";
import { canonicalJson, ruleSetDigest } from "../../../workers/authority/rule-set-digest";
import { closeContactFor } from "../../helpers/rule-sets";

const person = (
  districtCode: string | null,
  from: "green" | "yellow" | "red",
  to: "green" | "yellow" | "red",
  maskedName = "*明",
): EvaluatedPerson => ({
  maskedName,
  districtCode,
  comparison: {
    from,
    to,
    decidingNow: from === "green" ? [] : ["r"],
    decidingProposed: to === "green" ? [] : ["r"],
  },
});

describe("preview tallies", () => {
  it("counts only changes, by transition and by prefecture, and keeps changed persons as samples", () => {
    const page = tallyPage([
      person("510107", "red", "green", "*小明"),
      person("510104", "red", "green"),
      person("510107", "red", "red"),
      person("513301", "yellow", "green"),
      person(null, "red", "green"),
      { maskedName: "*红", districtCode: "510107", comparison: null },
    ]);
    expect(page.tally.evaluated).toBe(6);
    expect(changeList(page.tally.changes)).toEqual([
      { from: "red", to: "green", count: 3 },
      { from: "yellow", to: "green", count: 1 },
    ]);
    expect(districtList(page.tally.byPrefecture)).toEqual([
      { districtCode: "510100", changes: [{ from: "red", to: "green", count: 2 }] },
      { districtCode: "513300", changes: [{ from: "yellow", to: "green", count: 1 }] },
      { districtCode: null, changes: [{ from: "red", to: "green", count: 1 }] },
    ]);
    expect(page.samples).toHaveLength(4);
    expect(page.samples[0]).toEqual({
      maskedName: "*小明",
      districtCode: "510107",
      from: "red",
      to: "green",
      decidingNow: ["r"],
      decidingProposed: [],
    });
  });

  it("merging two pages adds their counts and leaves the inputs alone", () => {
    const a = tallyPage([person("510107", "red", "green")]).tally;
    const b = tallyPage([person("510107", "red", "green"), person("510104", "green", "red")]).tally;
    const m = mergeTally(a, b);
    expect(m.evaluated).toBe(3);
    expect(m.changes).toEqual({ "red>green": 2, "green>red": 1 });
    expect(m.byPrefecture["510100"]).toEqual({ "red>green": 2, "green>red": 1 });
    expect(a.changes).toEqual({ "red>green": 1 });
  });
});

describe("id ranges", () => {
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const randomId = () => Array.from({ length: 22 }, () => ALPHABET[Math.floor(Math.random() * 64)]).join("");

  it("every id falls in exactly one of n ranges, and the ranges are about equal", () => {
    for (const n of [1, 16, 64, 4096]) {
      const ranges = Array.from({ length: n }, (_, i) => idRange(i, n));
      const ids = [...Array.from({ length: 2000 }, randomId), "", "-", "__", "~~", "A", "zz-"];
      for (const id of ids) expect(ranges.filter((r) => inRange(id, r)).length, `${id} in ${n}`).toBe(1);
      if (n === 16) {
        const sizes = ranges.map((r) => ids.filter((id) => inRange(id, r)).length);
        expect(Math.min(...sizes)).toBeGreaterThan(2000 / 16 / 2);
      }
    }
  });

  it("refuses a count that is not a power of two up to 4,096", () => {
    expect(validRangeCount(63)).toBe(false);
    expect(validRangeCount(8192)).toBe(false);
    expect(() => idRange(64, 64)).toThrow(RangeError);
  });
});

describe("rule-set digest", () => {
  it("ignores key order and changes with any duration", async () => {
    const set = closeContactFor(14, "2026.9");
    const reordered = JSON.parse(
      canonicalJson({ rules: set.rules, publishedAt: set.publishedAt, version: set.version }),
    );
    expect(await ruleSetDigest(reordered)).toBe(await ruleSetDigest(set));
    expect(await ruleSetDigest(closeContactFor(15, "2026.9"))).not.toBe(await ruleSetDigest(set));
    expect(await ruleSetDigest({ ...DEFAULT_RULE_SET })).not.toBe(await ruleSetDigest(set));
  });
});

describe("the publication gate", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  const preview = {
    previewId: "p1",
    digest: "d1",
    baseVersion: "2026.1",
    startedAt: new Date(now - 10 * 60_000).toISOString(),
    done: true,
    evaluated: 5000,
    total: 5000,
    changed: 1500,
  };
  const base: GateInput = {
    threshold: 1000,
    confirm: false,
    digest: "d1",
    activeVersion: "2026.1",
    now,
    preview,
  };
  const refusal = (g: GateInput) => {
    const v = publishGate(g);
    return v.ok ? "ok" : v.reason;
  };

  it("above the threshold: refused without confirm (saying how many), allowed with it", () => {
    const v = publishGate(base);
    expect(v).toMatchObject({
      ok: false,
      extra: { changedPersons: 1500, threshold: 1000, confirmationRequired: true },
    });
    expect(publishGate({ ...base, confirm: true })).toEqual({ ok: true, changed: 1500 });
  });

  it("at or below the threshold a finished preview is enough", () => {
    expect(publishGate({ ...base, preview: { ...preview, changed: 1000 } })).toEqual({
      ok: true,
      changed: 1000,
    });
  });

  it("a preview of another set, unfinished, older than an hour or against an older version does not count", () => {
    expect(refusal({ ...base, confirm: true, digest: "d2" })).toBe("preview_other_set");
    expect(refusal({ ...base, confirm: true, preview: { ...preview, done: false } })).toBe("preview_running");
    const old = new Date(now - PREVIEW_VALID_MS - 1000).toISOString();
    expect(refusal({ ...base, confirm: true, preview: { ...preview, startedAt: old } })).toBe(
      "preview_stale",
    );
    expect(refusal({ ...base, confirm: true, activeVersion: "2026.2" })).toBe("preview_base_changed");
    expect(refusal({ ...base, confirm: true, preview: null })).toBe("preview_unknown");
  });

  it("without a preview: allowed only while no more persons than the threshold are registered", () => {
    expect(refusal({ ...base, preview: undefined, directorySize: 1000 })).toBe("ok");
    expect(refusal({ ...base, preview: undefined, directorySize: 1001 })).toBe("preview_required");
    expect(refusal({ ...base, confirm: true, preview: undefined, directorySize: 1001 })).toBe(
      "preview_required",
    );
  });
});
