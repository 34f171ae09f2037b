/**
 * A small in-isolate cache with per-entry expiry and a size bound, for answers that are safe to
 * reuse for a short time (a verified ID token until it expires, a binding that is never removed).
 * It never outlives the isolate and is never shared between isolates.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, until: number): void {
    // Oldest first: a Map iterates in insertion order, so dropping the first entry bounds memory.
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** One cache per env object, so a test (or deployment) with other settings never sees another's entries. */
export function perEnv<V>(maxEntries?: number): (env: object) => TtlCache<V> {
  const caches = new WeakMap<object, TtlCache<V>>();
  return (env) => {
    let c = caches.get(env);
    if (!c) {
      c = new TtlCache<V>(maxEntries);
      caches.set(env, c);
    }
    return c;
  };
}
