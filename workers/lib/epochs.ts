// Per-isolate invalidation counters by name. A cache records the epoch it loaded at and reloads when
// it moved; a writer in another layer (a Durable Object in the same isolate) bumps it without
// importing the cache. Other isolates still rely on the cache's own TTL.
const epochs = new Map<string, number>();

export function epoch(name: string): number {
  return epochs.get(name) ?? 0;
}

export function bumpEpoch(name: string): void {
  epochs.set(name, epoch(name) + 1);
}
