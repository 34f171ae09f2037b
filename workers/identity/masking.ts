// Masked values are shown to venue staff and other verifiers: enough to match a face or a caller,
// not enough to re-identify someone from a screenshot.

import { normaliseIdNumber } from "./documents";

const HAN = /\p{Script=Han}/u;

/**
 * Chinese names keep the family name and the last character (张*三, 欧**明); two-character names
 * keep only the family name (张*), since the last character would be the whole given name.
 * Latin names keep the first letter of each word (J*** S****); separators stay so the shape reads.
 */
export function maskName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (!trimmed) return "";
  if (HAN.test(trimmed)) {
    // A space typed inside a Chinese name ("王 五") is not part of it.
    // Array.from splits by code point, so rare characters outside the BMP (𠮷) count as one.
    const chars = Array.from(trimmed.replace(/ /g, ""));
    if (chars.length === 1) return "*";
    if (chars.length === 2) return `${chars[0]}*`;
    const middle = chars.slice(1, -1).map((c) => (c === "·" || c === "•" ? c : "*"));
    return `${chars[0]}${middle.join("")}${chars[chars.length - 1]}`;
  }
  let startOfWord = true;
  return Array.from(trimmed)
    .map((c) => {
      if (!/[\p{L}\p{N}]/u.test(c)) {
        startOfWord = true;
        return c;
      }
      const keep = startOfWord;
      startOfWord = false;
      return keep ? c : "*";
    })
    .join("");
}

/** 13812345678 → 138****5678; a +86 prefix is kept; other numbers keep their last 4 digits. */
export function maskPhone(phone: string): string {
  const p = phone.replace(/[\s()-]/g, "");
  const cn = /^(\+?86)?(1\d{2})\d{4}(\d{4})$/.exec(p);
  if (cn) return `${cn[1] ?? ""}${cn[2]}****${cn[3]}`;
  if (p.length <= 4) return "*".repeat(p.length);
  const keepHead = p.length >= 10 ? 3 : 0;
  return p.slice(0, keepHead) + "*".repeat(p.length - keepHead - 4) + p.slice(-4);
}

/**
 * 18-character numbers show the first 4 (province and prefecture) and last 4: 5101**********123X.
 * Short numbers (passports, 8-digit permits) would be almost fully revealed by that, so they keep
 * only the first character and last 2.
 */
export function maskIdNumber(idNumber: string): string {
  const n = normaliseIdNumber(idNumber);
  if (n.length >= 12) return n.slice(0, 4) + "*".repeat(n.length - 8) + n.slice(-4);
  if (n.length <= 4) return "*".repeat(n.length);
  return n.slice(0, 1) + "*".repeat(n.length - 3) + n.slice(-2);
}
