import { describe, expect, it } from "vitest";
import { maskIdNumber, maskName, maskPhone } from "../../../workers/identity/masking";

describe("maskName", () => {
  it.each([
    ["张三", "张*"],
    ["张小三", "张*三"],
    ["欧阳小明", "欧**明"],
    ["  王 五 ", "王*"],
    ["买买提·艾力", "买**·*力"],
    ["𠮷田太郎", "𠮷**郎"],
    ["张", "*"],
    ["John Smith", "J*** S****"],
    ["mary-jane o'neil", "m***-j*** o'n***"],
    ["", ""],
  ])("%s → %s", (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe("maskPhone", () => {
  it.each([
    ["13812345678", "138****5678"],
    ["+86 138-1234-5678", "+86138****5678"],
    ["+85291234567", "+85*****4567"],
    ["028-8888", "***8888"],
    ["123", "***"],
  ])("%s → %s", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe("maskIdNumber", () => {
  it.each([
    ["51010419900101123X", "5101**********123X"],
    ["510104 19900101 123x", "5101**********123X"],
    ["USA110078010101", "USA1*******0101"],
    ["E12345678", "E******78"],
    ["12345678", "1*****78"],
    ["1234", "****"],
  ])("%s → %s", (idNumber, masked) => {
    expect(maskIdNumber(idNumber)).toBe(masked);
  });

  it("never shows the birth date of a resident id", () => {
    expect(maskIdNumber("11010519491231002X")).not.toContain("19491231");
  });
});
