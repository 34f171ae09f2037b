import { decodeBase64url, encodeBase64url } from "../lib/base64url";
import { invalid } from "./problems";

/** Where a newest-first page ended: its last row's time and id (the tie-breaker). */
export interface KeysetPosition {
  at: string;
  id: string;
}

/** An opaque `cursor` for keyset pagination: stable while rows are added, no offsets to drift. */
export function encodeCursor({ at, id }: KeysetPosition): string {
  return encodeBase64url(new TextEncoder().encode(JSON.stringify([at, id])));
}

/** Reads a cursor this service returned; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const v = JSON.parse(
      new TextDecoder().decode(decodeBase64url(cursor, { allowPadding: true })),
    ) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") {
      return { at: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw invalid([{ path: "cursor", message: "is not a cursor this service returned" }]);
}
