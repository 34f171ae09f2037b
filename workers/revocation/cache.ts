import { bumpEpoch, epoch } from "../lib/epochs";
import type { RevocationEntry } from "./crl";
import { liveRevocations } from "./repo";

/** Bumped by whoever records a revocation in this isolate (routes and the person object's outbox). */
export const REVOCATIONS_EPOCH = "revocations";

// Online verification checks revocations on every request, so the list is cached per isolate. A
// revocation takes effect at once in the isolate that recorded it and within the TTL elsewhere; the
// lists are small (entries leave them once every code they match has expired).
const TTL_MS = 30_000;
let cached:
  | { at: number; epoch: number; value: Promise<{ entries: RevocationEntry[]; ctr: number }> }
  | undefined;

export function revocationList(
  env: Env,
  now = Date.now(),
): Promise<{ entries: RevocationEntry[]; ctr: number }> {
  if (!cached || now - cached.at > TTL_MS || cached.epoch !== epoch(REVOCATIONS_EPOCH)) {
    const value = liveRevocations(env, new Date(now));
    const entry = { at: now, epoch: epoch(REVOCATIONS_EPOCH), value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.value;
}

export function invalidateRevocations(): void {
  bumpEpoch(REVOCATIONS_EPOCH);
}
