import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkIdentity, mrzCheckDigit } from "../../workers/identity/documents";

interface Vectors {
  check_digit_examples: { input: string; check_digit: number }[];
  td3_specimen: { lines: [string, string]; document_number: string; composite_check_digit: number };
  td1_specimen: { lines: [string, string, string]; document_number: string; composite_check_digit: number };
  td2_specimen: { lines: [string, string]; document_number: string; composite_check_digit: number };
  invalid_examples_constructed_here: ({ lines: string[] } | { input: string; claimed_check_digit: number })[];
}

const v = JSON.parse(env.TESTDATA["identity/icao9303-mrz-check-digits.json"]!) as Vectors;

/** Every check digit of a TD3 line 2 (Doc 9303 Part 4): number, birth, expiry, optional, composite. */
function td3Valid(line2: string): boolean {
  const digit = (i: number) => Number(line2[i]);
  return (
    mrzCheckDigit(line2.slice(0, 9)) === digit(9) &&
    mrzCheckDigit(line2.slice(13, 19)) === digit(19) &&
    mrzCheckDigit(line2.slice(21, 27)) === digit(27) &&
    mrzCheckDigit(line2.slice(28, 42)) === digit(42) &&
    mrzCheckDigit(line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43)) === digit(43)
  );
}

describe("ICAO 9303 check digits", () => {
  it.each(v.check_digit_examples)("$input → $check_digit", ({ input, check_digit }) => {
    expect(mrzCheckDigit(input)).toBe(check_digit);
  });

  it("validates the TD3 specimen and its composite digit", () => {
    const line2 = v.td3_specimen.lines[1];
    expect(td3Valid(line2)).toBe(true);
    expect(Number(line2[43])).toBe(v.td3_specimen.composite_check_digit);
  });

  it("validates the TD1 and TD2 specimens", () => {
    const [l1, l2] = v.td1_specimen.lines;
    expect(mrzCheckDigit(l1.slice(5, 14))).toBe(Number(l1[14]));
    const composite = l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29);
    expect(mrzCheckDigit(composite)).toBe(v.td1_specimen.composite_check_digit);
    const td2 = v.td2_specimen.lines[1];
    expect(mrzCheckDigit(td2.slice(0, 9))).toBe(Number(td2[9]));
    const composite2 = td2.slice(0, 10) + td2.slice(13, 20) + td2.slice(21, 35);
    expect(mrzCheckDigit(composite2)).toBe(v.td2_specimen.composite_check_digit);
  });

  it("rejects every constructed invalid example", () => {
    for (const bad of v.invalid_examples_constructed_here) {
      if ("lines" in bad) expect(td3Valid(bad.lines[1]!)).toBe(false);
      else expect(mrzCheckDigit(bad.input)).not.toBe(bad.claimed_check_digit);
    }
  });

  it("accepts the specimen document numbers as passport numbers (with a real nationality)", () => {
    for (const n of [v.td3_specimen.document_number, v.td1_specimen.document_number]) {
      expect(checkIdentity({ idType: "passport", idNumber: n, nationality: "DEU" }).ok).toBe(true);
    }
  });
});
