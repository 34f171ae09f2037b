/**
 * GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from a 31-character
 * alphabet (digits and capitals without I, O, Z, S, V). Characters 3–8 are the registering
 * authority's GB/T 2260 district; the 18th is a check character: with the 17 weights 3^i mod 31,
 * check = (31 − Σ value·weight mod 31) mod 31. A venue may give one at registration to help the
 * authority decide whether to verify it; a typo is caught here rather than by the authority.
 */
export const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters, or null if they are not in the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; message: string };

/** Normalises (trim, upper case) and validates shape and check character. */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { ok: false, message: "must be 18 characters" };
  if (!SHAPE.test(code))
    return {
      ok: false,
      message: "must be 18 characters of 0-9 and A-Z without I, O, S, V, Z, with a 6-digit district",
    };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17])
    return { ok: false, message: "has a wrong check character (GB 32100-2015)" };
  return { ok: true, code };
}
