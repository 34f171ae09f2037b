/**
 * Bounds a memory kept in the order it was learnt: drops entries from the front of `map` (a Map
 * iterates in insertion order, so the oldest first) while there are `max` or more, or until the
 * first one `keep` accepts. Later entries are not looked at: callers insert in time order, so what
 * follows a fresh entry is fresh too.
 */
export function dropOldest<K, V>(map: Map<K, V>, keep: (value: V) => boolean, max: number): void {
  for (const [key, value] of map) {
    if (keep(value) && map.size < max) break;
    map.delete(key);
  }
}
