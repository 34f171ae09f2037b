import { decodeBase64url, encodeBase64url } from "../lib/base64url";
import type { SortKey } from "./search";

/**
 * Cursors are opaque to clients but carry no secret: the sort key of the last site returned and a
 * fingerprint of the query, so a cursor used with a different query is refused rather than
 * silently returning the wrong page.
 */
export function encodeCursor(query: string, key: SortKey): string {
  return encodeBase64url(new TextEncoder().encode(JSON.stringify({ q: query, k: key })));
}

export function decodeCursor(query: string, cursor: string): SortKey | null {
  try {
    const v = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
        decodeBase64url(cursor, { allowPadding: true }),
      ),
    ) as unknown;
    if (!v || typeof v !== "object") return null;
    const { q, k } = v as { q?: unknown; k?: unknown };
    if (q !== query || !Array.isArray(k) || k.length === 0 || k.length > 3) return null;
    if (
      !k.every(
        (x) => (typeof x === "string" && x.length <= 200) || (typeof x === "number" && Number.isFinite(x)),
      )
    )
      return null;
    return k as SortKey;
  } catch {
    return null;
  }
}
