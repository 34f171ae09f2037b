/**
 * The form in which a name typed by staff is compared with the stored one: compatibility-normalised
 * (full-width letters from an IME become ASCII), case-folded, with spaces removed, since staff type
 * "王 五" or "wang wu" for 王五 / WANG WU, and the middle dot of minority names comes in several forms.
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\u00b7\u2022\u30fb\u2027.]/g, "");
}

export function sameName(a: string, b: string): boolean {
  const na = normaliseName(a);
  return na.length > 0 && na === normaliseName(b);
}
