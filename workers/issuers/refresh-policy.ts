// When to fetch a remote JWKS again. Pure, so the cool-downs are tested without a clock.

/** Keys are refreshed this often even when nothing is wrong (an issuer may add or drop keys). */
export const REFRESH_EVERY_MS = 10 * 60_000;
/** After any attempt, good or bad, the next one waits this long: an unknown kid in a flood of forged
 * codes, or an issuer that is down, costs at most one fetch a minute per isolate. */
export const REFRESH_COOLDOWN_MS = 60_000;
export const FETCH_TIMEOUT_MS = 3_000;

export interface RefreshState {
  /** ms of the last good fetch, null if never. */
  keysFetchedAt: number | null;
  /** ms of the last attempt, good or bad, null if never. */
  lastRefreshAt: number | null;
}

export function refreshDue(state: RefreshState, now: number, opts: { unknownKid: boolean }): boolean {
  if (state.lastRefreshAt !== null && now - state.lastRefreshAt < REFRESH_COOLDOWN_MS) return false;
  if (state.keysFetchedAt === null || opts.unknownKid) return true;
  return now - state.keysFetchedAt >= REFRESH_EVERY_MS;
}
