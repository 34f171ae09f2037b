import { describe, expect, it } from "vitest";
import { dropOldest } from "../../../durable/drop-oldest";

describe("dropOldest", () => {
  it("drops stale entries from the front and stops at the first fresh one", () => {
    const m = new Map([
      ["a", 1],
      ["b", 2],
      ["c", 9],
      ["d", 1],
    ]);
    dropOldest(m, (v) => v > 5, 10);
    // "d" is stale too but after a fresh entry: callers insert in time order, so it is not looked at.
    expect([...m.keys()]).toEqual(["c", "d"]);
  });

  it("keeps fewer than `max`: fresh entries go too while the map is full", () => {
    const m = new Map([
      ["a", 9],
      ["b", 9],
      ["c", 9],
    ]);
    dropOldest(m, () => true, 2);
    expect([...m.keys()]).toEqual(["c"]);
  });
});
