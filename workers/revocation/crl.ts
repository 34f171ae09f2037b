// Pure building of the published revocation lists (SMART Health Cards' `method: "rid"` shape).

export interface RevocationEntry {
  id: number;
  rid: string;
  /** NumericDate (seconds): codes with this rid and iat before it are revoked; null: all of them. */
  before: number | null;
  /** ms: after this no code the entry matches can still be valid, so it is no longer published. */
  until: number;
}

export interface Crl {
  kid: string;
  method: "rid";
  /** Grows whenever the list gains an entry, so a verifier can tell a newer list from an older one. */
  ctr: number;
  rids: string[];
}

/** The CRL entry text: `rid` or `rid.timestamp`, as verifier/shc-crl.ts reads it. */
export function entryText(entry: Pick<RevocationEntry, "rid" | "before">): string {
  return entry.before === null ? entry.rid : `${entry.rid}.${entry.before}`;
}

/**
 * Every entry in force, for one of our keys. Entries are not split by key: a person's codes may be
 * signed by any published key, and a list per kid is what SMART Health Cards verifiers look for.
 */
export function buildCrl(kid: string, entries: readonly RevocationEntry[], ctr: number, now: number): Crl {
  const live = entries.filter((e) => e.until > now);
  const rids = [...new Set(live.map(entryText))].sort();
  return { kid, method: "rid", ctr, rids };
}

/**
 * The revocation timestamp for "every code before now": the next whole second, because `iat` is whole
 * seconds and a code issued earlier in the same second must be caught; a code asked for a second later
 * is a fresh one.
 */
export function revokeBefore(nowMs: number): number {
  return Math.floor(nowMs / 1000) + 1;
}

/** Is a code (its rid and iat) revoked by the entries in force? Same rule as the offline library. */
export function isRevoked(
  entries: readonly RevocationEntry[],
  rid: string,
  iat: number,
  now: number,
): boolean {
  return entries.some((e) => e.until > now && e.rid === rid && (e.before === null || iat < e.before));
}
