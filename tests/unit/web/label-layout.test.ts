import { describe, expect, it } from "vitest";
import { spreadLabels } from "../../../web/static/lib/label-layout";

const gaps = (ys: number[]) => {
  const s = [...ys].sort((a, b) => a - b);
  return s.slice(1).map((y, i) => y - s[i]!);
};

describe("labels at the ends of the chart's lines", () => {
  it("three equal counts (every line ends at one point) become three readable rows", () => {
    const ys = spreadLabels([100, 100, 100], 12, 10, 140);
    expect(Math.min(...gaps(ys))).toBeGreaterThanOrEqual(12);
    expect(ys.every((y) => y >= 10 && y <= 140)).toBe(true);
  });

  it("keeps the order of the values, so the top label still belongs to the top line", () => {
    const ys = spreadLabels([50, 48, 52], 12, 10, 140);
    expect(ys[1]).toBeLessThan(ys[0]!);
    expect(ys[0]).toBeLessThan(ys[2]!);
  });

  it("leaves labels that are already apart where they are", () => {
    expect(spreadLabels([20, 80, 130], 12, 10, 140)).toEqual([20, 80, 130]);
  });

  it("stays inside the plot at the bottom edge (all zeros)", () => {
    const ys = spreadLabels([140, 140, 140], 12, 10, 140);
    expect(Math.max(...ys)).toBe(140);
    expect(Math.min(...gaps(ys))).toBeGreaterThanOrEqual(12);
  });
});
