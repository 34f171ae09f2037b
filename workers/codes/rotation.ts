// Pure key-timeline logic: which key signs, which are only published, and when each may leave the JWKS.

export type KeyStatus = "pending" | "active" | "previous" | "retired";

export interface KeyTimelineEntry {
  kid: string;
  /** ms since the epoch; 0 for a bootstrap key without `activeFrom`. */
  activeFrom: number;
  /** ms; set once the key was retired (recorded in D1). */
  retiredAt?: number | null;
}

export interface KeyState {
  kid: string;
  status: KeyStatus;
  activeFrom: number;
  /** When a successor took over signing; null while no successor is active (or scheduled). */
  stoppedAt: number | null;
  /** stoppedAt + the longest lifetime of anything the key signed: from then on it may leave the JWKS. */
  retiresAfter: number | null;
}

/**
 * A key signs from its `activeFrom` until the next key's `activeFrom` (ties broken by kid, so every
 * isolate picks the same one). After it stopped signing it stays published for `maxLifetimeMs`, the
 * longest life of a code, paper code or bundle it may have signed; then it is retired, lazily here
 * (status computed from `now`) and for the record by the scheduled job (`retiredAt`).
 */
export function keyStates(
  entries: readonly KeyTimelineEntry[],
  now: number,
  maxLifetimeMs: number,
): KeyState[] {
  const ordered = [...entries].sort((a, b) => a.activeFrom - b.activeFrom || (a.kid < b.kid ? -1 : 1));
  return ordered.map((entry, i) => {
    const next = ordered[i + 1];
    const stoppedAt = next ? next.activeFrom : null;
    const retiresAfter = stoppedAt === null ? null : stoppedAt + maxLifetimeMs;
    let status: KeyStatus;
    if (entry.activeFrom > now) status = "pending";
    else if (stoppedAt === null || stoppedAt > now) status = "active";
    else if (entry.retiredAt != null || (retiresAfter !== null && retiresAfter <= now)) status = "retired";
    else status = "previous";
    return { kid: entry.kid, status, activeFrom: entry.activeFrom, stoppedAt, retiresAfter };
  });
}

/** The kid that signs at `now`, or undefined when no key is active yet. */
export function activeKid(states: readonly KeyState[]): string | undefined {
  return states.find((s) => s.status === "active")?.kid;
}

/** Published keys: every key verifiers may meet, i.e. all but the retired ones. */
export function publishedKids(states: readonly KeyState[]): Set<string> {
  return new Set(states.filter((s) => s.status !== "retired").map((s) => s.kid));
}
