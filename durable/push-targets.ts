/**
 * The push subscriptions a person's object keeps for the accounts that manage the person (issue 15):
 * copies of the D1 rows (the record, on each account's shard), so a notification reads no D1.
 * Pure types and rules here; `push-targets-store.ts` reads and writes them.
 *
 * Kept in step without ordering: a subscription id is random and never reused (an endpoint deleted
 * and registered again gets a new one), so a removal is final and kept as a tombstone; among
 * updates of one id (key refreshes) the higher `version` (the write's time) wins. Any order or
 * repetition of updates therefore ends in the same rows.
 */
import type { Manager } from "./managers";

/** One browser's subscription: the endpoint (a capability URL) and its encryption keys. */
export interface PushTarget {
  id: string;
  accountId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A change to one account's subscriptions, as the push routes and the consumer send it. */
export interface PushTargetUpdate {
  accountId: string;
  /** Created or refreshed (same id, new keys). */
  upserts: PushTarget[];
  /** Deleted by the owner, evicted past the per-account limit, or gone (404/410). */
  removed: string[];
  /** Milliseconds since the epoch of the D1 write this update reports. */
  version: number;
}

/** Who hears of something: every active manager (a colour change) or only the person's own logins. */
export type PushAudience = "all" | "self";

/** The accounts that hear of it now: a pending, denied or removed account gets nothing. */
export function audienceAccounts(managers: readonly Manager[], audience: PushAudience): string[] {
  return managers
    .filter((m) => m.status === "active" && (audience === "all" || m.relationship === "self"))
    .map((m) => m.accountId);
}

/** Tombstones outlive every queued copy of an update (a queue keeps a message 4 days at most). */
export const TOMBSTONE_MS = 14 * 86_400_000;
/** A change's "already pushed to" marks outlive its retries and redeliveries. */
export const SENT_MARK_MS = 7 * 86_400_000;
