import { describe, expect, it } from "vitest";
import { perEnv, TtlCache } from "../../../workers/lib/ttl-cache";

describe("TtlCache", () => {
  it("answers until the entry's expiry and not after", () => {
    const c = new TtlCache<string>();
    c.set("k", "v", 1_000);
    expect(c.get("k", 999)).toBe("v");
    expect(c.get("k", 1_000)).toBeUndefined();
  });

  it("drops the oldest entry beyond its bound", () => {
    const c = new TtlCache<number>(2);
    c.set("a", 1, 10);
    c.set("b", 2, 10);
    c.set("c", 3, 10);
    expect([c.get("a", 0), c.get("b", 0), c.get("c", 0)]).toEqual([undefined, 2, 3]);
  });

  it("keeps one cache per env object", () => {
    const caches = perEnv<number>();
    const a = {};
    caches(a).set("k", 1, Number.MAX_SAFE_INTEGER);
    expect(caches(a).get("k")).toBe(1);
    expect(caches({}).get("k")).toBeUndefined();
  });
});
