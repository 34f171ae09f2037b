/** D1 binds at most 100 parameters per statement: multi-row statements and IN lists are sized by it. */
export const D1_MAX_PARAMS = 100;

/** Consecutive slices of at most `size` items (the last may be shorter), in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
