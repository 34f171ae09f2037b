import { describe, expect, it } from "vitest";
import {
  districtMatches,
  districtName,
  isDistrictCode,
  prefectureOf,
  provinceOf,
} from "../../../schema/districts";

describe("isDistrictCode / districtName", () => {
  it("knows provinces, prefectures and counties as 6-digit codes", () => {
    expect(districtName("510000")).toBe("四川省");
    expect(districtName("510100")).toBe("成都市");
    expect(districtName("510104")).toBe("锦江区");
    expect(districtName("110105")).toBe("朝阳区");
    expect(districtName("441900")).toBe("东莞市");
  });

  it("accepts the Sichuan codes retired after MCA 2019-04", () => {
    expect(districtName("510132")).toBe("新津县");
    expect(isDistrictCode("510922")).toBe(true);
    expect(isDistrictCode("513425")).toBe(true);
  });

  it.each(["51", "5101", "510199", "990000", "51010", "5101040", "", "51010a", "440524"])(
    "rejects %j",
    (code) => {
      expect(isDistrictCode(code)).toBe(false);
    },
  );
});

describe("prefectureOf / provinceOf", () => {
  it("reads ancestry from the digits", () => {
    expect(prefectureOf("510104")).toBe("510100");
    expect(prefectureOf("510100")).toBe("510100");
    expect(prefectureOf("510000")).toBeUndefined();
    expect(prefectureOf("513425")).toBe("513400");
    expect(provinceOf("510104")).toBe("510000");
    expect(provinceOf("510000")).toBe("510000");
  });

  it("works for a retired code of a known province, not for an unknown province", () => {
    expect(prefectureOf("440524")).toBe("440500");
    expect(provinceOf("990101")).toBeUndefined();
    expect(prefectureOf("990101")).toBeUndefined();
    expect(prefectureOf("abc")).toBeUndefined();
  });
});

describe("districtMatches", () => {
  it("matches a province to all of it, a prefecture to its counties, a county to itself", () => {
    expect(districtMatches("510000", "513425")).toBe(true);
    expect(districtMatches("510000", "500101")).toBe(false);
    expect(districtMatches("510100", "510104")).toBe(true);
    expect(districtMatches("510100", "510100")).toBe(true);
    expect(districtMatches("510100", "510302")).toBe(false);
    expect(districtMatches("510104", "510104")).toBe(true);
    expect(districtMatches("510104", "510105")).toBe(false);
    expect(districtMatches("510104", "510100")).toBe(false);
    expect(districtMatches("51", "510104")).toBe(false);
  });
});
