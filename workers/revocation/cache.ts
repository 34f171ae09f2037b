import type { RevocationEntry } from "./crl";
import { liveRevocations } from "./repo";

// Online verification checks revocations on every request, so the list is cached per isolate. A
// revocation takes effect at once in the isolate that recorded it and within the TTL elsewhere; the
// lists are small (entries leave them once every code they match has expired).
const TTL_MS = 30_000;
let cached: { at: number; value: Promise<{ entries: RevocationEntry[]; ctr: number }> } | undefined;

export function revocationList(
  env: Env,
  now = Date.now(),
): Promise<{ entries: RevocationEntry[]; ctr: number }> {
  if (!cached || now - cached.at > TTL_MS) {
    const value = liveRevocations(env, new Date(now));
    const entry = { at: now, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.value;
}

export function invalidateRevocations(): void {
  cached = undefined;
}
