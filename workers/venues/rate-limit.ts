const HOUR_MS = 3_600_000;

/** The fixed hourly window a counted action falls in, as its ISO start. */
export function hourStart(nowMs: number): string {
  return new Date(Math.floor(nowMs / HOUR_MS) * HOUR_MS).toISOString();
}

export type LimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfter: number };

/**
 * `count` is the scope's actions in the current hour including this one (as the atomic upsert
 * returned it). Over the limit, the caller is told to come back when the hour turns.
 */
export function lookupDecision(count: number, limit: number, nowMs: number): LimitDecision {
  if (count <= limit) return { allowed: true, remaining: limit - count };
  const retryAfter = Math.max(1, Math.ceil((Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS - nowMs) / 1000));
  return { allowed: false, retryAfter };
}

/**
 * Counter scopes. Look-ups are counted per owning account, not per device key: an account can hold
 * up to 20 venues × 20 keys, and a per-key limit would multiply by 400 (the identity-number oracle).
 */
export const lookupScope = (ownerAccountId: string) => `account:${ownerAccountId}`;
