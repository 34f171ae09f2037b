import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  districtMatches,
  districtName,
  isDistrictCode,
  prefectureOf,
  provinceOf,
} from "../../schema/districts";

const nbs = JSON.parse(env.TESTDATA["gb2260/sichuan-51-nbs2022.json"]!) as Record<string, string>;
const rows = env.TESTDATA["gb2260/sichuan-51-nbs2022.csv"]!.trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [code, name, level, parent] = line.split(",");
    return { code: code!, name: name!, level: level!, parent: parent! };
  });
const mca = env.TESTDATA["gb2260/sichuan-51-mca201904.tsv"]!.trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split("\t"))
  .map(([, , code, name]) => ({ code: code!, name: name! }));

describe("GB/T 2260 Sichuan (NBS 2022)", () => {
  it("the file has the 1 + 21 + 183 rows the README describes", () => {
    expect(rows.filter((r) => r.level === "province")).toHaveLength(1);
    expect(rows.filter((r) => r.level === "prefecture")).toHaveLength(21);
    expect(rows.filter((r) => r.level === "county")).toHaveLength(183);
    expect(Object.keys(nbs)).toHaveLength(205);
  });

  it("every code is a district code with the file's name", () => {
    for (const [code, name] of Object.entries(nbs)) {
      expect(isDistrictCode(code), code).toBe(true);
      expect(districtName(code), code).toBe(name);
    }
  });

  it("prefectureOf and provinceOf agree with the file's parents", () => {
    for (const r of rows) {
      if (r.level === "county") expect(prefectureOf(r.code), r.code).toBe(r.parent);
      if (r.level === "prefecture") {
        expect(r.parent).toBe("510000");
        expect(prefectureOf(r.code)).toBe(r.code);
      }
      expect(provinceOf(r.code)).toBe("510000");
    }
  });

  it("a prefecture filter matches exactly its own counties", () => {
    const counties = rows.filter((r) => r.level === "county");
    for (const p of rows.filter((r) => r.level === "prefecture")) {
      const matched = counties.filter((c) => districtMatches(p.code, c.code)).map((c) => c.code);
      expect(matched).toEqual(counties.filter((c) => c.parent === p.code).map((c) => c.code));
    }
    expect(counties.every((c) => districtMatches("510000", c.code))).toBe(true);
  });
});

describe("GB/T 2260 Sichuan (MCA 2019-04)", () => {
  it("every MCA 2019 code is accepted, including the three renamed since", () => {
    for (const { code, name } of mca) {
      expect(isDistrictCode(code), code).toBe(true);
      expect(districtName(code), code).toBe(name);
    }
    const onlyMca = mca.filter((m) => !(m.code in nbs)).map((m) => m.code);
    expect(onlyMca.sort()).toEqual(["510132", "510922", "513425"]);
  });
});
