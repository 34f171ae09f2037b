const HOUR_MS = 3_600_000;

/** The fixed hourly window a look-up counts in, as its ISO start. */
export function hourStart(nowMs: number): string {
  return new Date(Math.floor(nowMs / HOUR_MS) * HOUR_MS).toISOString();
}

export type LimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfter: number };

/**
 * `count` is this key's look-ups in the current hour including this one (as the atomic upsert
 * returned it). Over the limit, the caller is told to come back when the hour turns.
 */
export function lookupDecision(count: number, limit: number, nowMs: number): LimitDecision {
  if (count <= limit) return { allowed: true, remaining: limit - count };
  const retryAfter = Math.max(1, Math.ceil((Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS - nowMs) / 1000));
  return { allowed: false, retryAfter };
}
