import { describe, expect, it } from "vitest";
import { ID_TYPES } from "../../../schema/vocabulary";
import { checkIdentity, gb11643CheckChar, mrzCheckDigit } from "../../../workers/identity/documents";

const NOW = new Date("2026-11-27T09:30:00Z");

function errorsOf(input: Parameters<typeof checkIdentity>[0], now = NOW) {
  const r = checkIdentity(input, now);
  return r.ok ? [] : r.errors;
}

/** A resident id with a correct check character, from its first 17 digits. */
const rid = (first17: string) => first17 + gb11643CheckChar(first17);

describe("checkIdentity: resident_id", () => {
  it("accepts a valid number and reads the birth date", () => {
    expect(checkIdentity({ idType: "resident_id", idNumber: "11010519491231002X" }, NOW)).toEqual({
      ok: true,
      identity: { idType: "resident_id", idNumber: "11010519491231002X", birthDate: "1949-12-31" },
    });
  });

  it("normalises spaces and a lower-case x to one form", () => {
    const r = checkIdentity({ idType: "resident_id", idNumber: " 110105 19491231 002x " }, NOW);
    expect(r.ok && r.identity.idNumber).toBe("11010519491231002X");
  });

  it.each([
    ["110105194912310021", /check character/],
    ["11010519491231002", /18 characters/],
    ["110105491231002", /15-digit/],
    ["1101051949123100XX", /18 characters/],
    ["110105194902310026", /does not exist/],
    ["11010519491231002Ｘ", /full-width/],
    ["991234199001010000", /province code/],
  ])("rejects %s on idNumber", (idNumber, message) => {
    const errors = errorsOf({ idType: "resident_id", idNumber });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("idNumber");
    expect(errors[0]!.message).toMatch(message);
  });

  it("rejects a birth date after today in China, accepts today", () => {
    // 2026-11-27T20:00Z is already 2026-11-28 in Beijing.
    const late = new Date("2026-11-27T20:00:00Z");
    expect(errorsOf({ idType: "resident_id", idNumber: rid("51010420261128001") }, late)).toEqual([]);
    expect(errorsOf({ idType: "resident_id", idNumber: rid("51010420261129001") }, late)[0]?.message).toMatch(
      /future/,
    );
  });

  it("accepts 29 February only in a leap year", () => {
    expect(errorsOf({ idType: "resident_id", idNumber: rid("51010420000229001") })).toEqual([]);
    expect(errorsOf({ idType: "resident_id", idNumber: rid("51010419000229001") })[0]?.message).toMatch(
      /does not exist/,
    );
  });

  it("accepts a residence permit of a Taiwan resident (830000) and a defunct address code", () => {
    expect(errorsOf({ idType: "resident_id", idNumber: rid("83000019900101001") })).toEqual([]);
    expect(errorsOf({ idType: "resident_id", idNumber: "440524188001010014" })).toEqual([]);
  });
});

describe("checkIdentity: passport", () => {
  it("requires nationality", () => {
    expect(errorsOf({ idType: "passport", idNumber: "E12345678" })).toEqual([
      { path: "nationality", message: expect.stringMatching(/required/) },
    ]);
    expect(errorsOf({ idType: "passport", idNumber: "E12345678", nationality: null })[0]?.path).toBe(
      "nationality",
    );
  });

  it("accepts Chinese and foreign numbers, normalising the nationality", () => {
    for (const idNumber of ["E12345678", "EA1234567", "G12345678", "K12345678", "P1234567"]) {
      expect(errorsOf({ idType: "passport", idNumber, nationality: "CHN" })).toEqual([]);
    }
    const r = checkIdentity({ idType: "passport", idNumber: "l898902c3", nationality: "gbr" }, NOW);
    expect(r).toEqual({
      ok: true,
      identity: { idType: "passport", idNumber: "L898902C3", nationality: "GBR" },
    });
  });

  it.each([
    ["1234", /5 to 9/],
    ["1234567890", /5 to 9/],
    ["L898902C<", /filler/],
    ["ABCDEFG", /digit/],
    ["E1234-5678", /5 to 9/],
  ])("rejects number %s", (idNumber, message) => {
    const errors = errorsOf({ idType: "passport", idNumber, nationality: "FRA" });
    expect(errors).toEqual([{ path: "idNumber", message: expect.stringMatching(message) }]);
  });

  it("rejects a nationality that is not ISO 3166-1 alpha-3", () => {
    for (const nationality of ["CN", "XXX", "UTO", "China"]) {
      expect(errorsOf({ idType: "passport", idNumber: "E12345678", nationality })).toEqual([
        { path: "nationality", message: expect.stringMatching(/alpha-3/) },
      ]);
    }
  });
});

describe("checkIdentity: permits", () => {
  it.each([
    ["hk_macao_permit", "C12345678"],
    ["hk_macao_permit", "CA1234567"],
    ["hk_macao_permit", "W12345678"],
    ["hk_macao_permit", "H12345678"],
    ["hk_macao_permit", "M1234567801"],
    ["taiwan_permit", "12345678"],
    ["taiwan_permit", "1234567801"],
    ["taiwan_permit", "12345678B1"],
    ["foreign_permanent_resident", "USA110078010101"],
    ["foreign_permanent_resident", `9${"1100840199001015"}${gb11643CheckChar("91100840199001015")}`],
  ])("%s accepts %s", (idType, idNumber) => {
    expect(errorsOf({ idType, idNumber })).toEqual([]);
  });

  it.each([
    ["hk_macao_permit", "C1234567", /C \+ 8 digits/],
    ["hk_macao_permit", "H123456789", /H\/M/],
    ["hk_macao_permit", "12345678", /C \+ 8 digits/],
    ["taiwan_permit", "1234567", /8 digits/],
    ["taiwan_permit", "A1234567", /8 digits/],
    ["foreign_permanent_resident", "US110078010101", /3 letters/],
    ["foreign_permanent_resident", "811008401990010155", /starting with 9/],
  ])("%s rejects %s", (idType, idNumber, message) => {
    expect(errorsOf({ idType, idNumber })).toEqual([
      { path: "idNumber", message: expect.stringMatching(message) },
    ]);
  });

  it("rejects a 2023 permanent-resident card with a wrong check character", () => {
    const good = `91100840199001015${gb11643CheckChar("91100840199001015")}`;
    const bad = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    expect(errorsOf({ idType: "foreign_permanent_resident", idNumber: bad })[0]?.message).toMatch(/check/);
  });
});

describe("checkIdentity: shape", () => {
  it("names idType for an unknown type and reports every field at once", () => {
    expect(errorsOf({ idType: "driving_licence", idNumber: "", nationality: "ZZZ" })).toEqual([
      { path: "idType", message: expect.stringContaining(ID_TYPES.join(", ")) },
      { path: "nationality", message: expect.any(String) },
      { path: "idNumber", message: "is required" },
    ]);
  });

  it("keeps a valid optional nationality on other documents", () => {
    const r = checkIdentity({ idType: "taiwan_permit", idNumber: "12345678", nationality: "chn" }, NOW);
    expect(r.ok && r.identity.nationality).toBe("CHN");
  });
});

describe("mrzCheckDigit", () => {
  it("computes ICAO 7-3-1 with < as 0 and rejects non-MRZ characters", () => {
    expect(mrzCheckDigit("520727")).toBe(3);
    expect(mrzCheckDigit("<<<")).toBe(0);
    expect(() => mrzCheckDigit("ab")).toThrow(RangeError);
  });
});
