import { describe, expect, it } from "vitest";
import { checkCreditCode, creditCodeCheckChar } from "../../../workers/venues/credit-code";

// Computed here from the standard's definition, independently of the module: weights are 3^i mod 31
// and the alphabet is the digits and capitals without I, O, S, V, Z.
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function withCheck(first17: string): string {
  let sum = 0;
  let w = 1;
  for (const ch of first17) {
    sum += ALPHABET.indexOf(ch) * w;
    w = (w * 3) % 31;
  }
  return first17 + ALPHABET[(31 - (sum % 31)) % 31];
}

describe("GB 32100-2015 unified social credit code", () => {
  it("accepts codes whose check character is right, including letters and a 0 check", () => {
    for (const first17 of [
      "91510104MA6C0B1K8",
      "12510000450717102",
      "52510100MJ0A1234Q",
      "9151010469000000",
    ]) {
      const code = withCheck(first17.padEnd(17, "1"));
      expect(checkCreditCode(code)).toEqual({ ok: true, code });
      expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    }
    // Published examples (business licences) check out too.
    expect(checkCreditCode("91350100M000100Y43").ok).toBe(true);
    expect(checkCreditCode("91310110666007217T").ok).toBe(true);
  });

  it("normalises case and spaces around it", () => {
    const code = withCheck("91510104MA6C0B1K8");
    expect(checkCreditCode(` ${code.toLowerCase()} `)).toEqual({ ok: true, code });
  });

  it("refuses every single-character typo of a valid code", () => {
    const code = withCheck("91510104MA6C0B1K8");
    for (let i = 0; i < 18; i++) {
      for (const ch of ALPHABET) {
        if (ch === code[i]) continue;
        const typo = code.slice(0, i) + ch + code.slice(i + 1);
        // Positions 3-8 are the district: only digits are well-formed there.
        expect(checkCreditCode(typo).ok, typo).toBe(false);
      }
    }
  });

  it("refuses wrong length, letters outside the alphabet and a non-numeric district", () => {
    expect(checkCreditCode("9151010469")).toMatchObject({ ok: false, message: "must be 18 characters" });
    const good = withCheck("91510104MA6C0B1K8");
    for (const bad of ["I", "O", "S", "V", "Z"]) {
      expect(checkCreditCode(`${good.slice(0, 10)}${bad}${good.slice(11)}`).ok).toBe(false);
    }
    expect(checkCreditCode(withCheck("915A0104MA6C0B1K8")).ok).toBe(false);
    expect(creditCodeCheckChar("short")).toBeNull();
  });
});
