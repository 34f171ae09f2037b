/**
 * Ranges of person ids for work that must reach every person without one query over all of them.
 * A `personId` is base64url of an HMAC, so its first two characters are uniform over 64² = 4,096
 * prefixes; `n` ranges (a power of two up to 4,096) are equal runs of those prefixes in the database's
 * byte order. The first range is open below and the last open above, so together they cover every
 * string, whatever its shape.
 */
const ALPHABET = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].sort();
const PREFIXES = ALPHABET.length ** 2;

export interface IdRange {
  /** Inclusive lower bound; null: unbounded. */
  from: string | null;
  /** Exclusive upper bound; null: unbounded. */
  to: string | null;
}

export function validRangeCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= PREFIXES && (n & (n - 1)) === 0;
}

const prefix = (p: number) => ALPHABET[Math.floor(p / ALPHABET.length)]! + ALPHABET[p % ALPHABET.length]!;

export function idRange(index: number, count: number): IdRange {
  if (!validRangeCount(count) || !Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`no range ${index} of ${count}`);
  const width = PREFIXES / count;
  return {
    from: index === 0 ? null : prefix(index * width),
    to: index === count - 1 ? null : prefix((index + 1) * width),
  };
}

/** Whether `id` lies in the range (byte order, as SQLite compares TEXT). */
export function inRange(id: string, r: IdRange): boolean {
  return (r.from === null || id >= r.from) && (r.to === null || id < r.to);
}

/**
 * Work over every person runs per person shard: `count` ranges are `shards` shards times
 * `count / shards` id ranges each (a power of two). Range k is shard k mod shards, id range
 * ⌊k / shards⌋ of that shard's split, so neighbouring ranges land on different shards and the pages
 * of all shards run in parallel.
 */
export function shardRangeCount(shards: number, atLeast: number): number {
  let perShard = 1;
  while (shards * perShard < atLeast && perShard < PREFIXES) perShard *= 2;
  return shards * perShard;
}

export function shardRange(
  index: number,
  count: number,
  shards: number,
): { shard: number | null; range: IdRange } {
  // A count that is no multiple of the shards (a preview started under another shard count): the
  // range covers every shard, read merged.
  if (count % shards !== 0 || !validRangeCount(count / shards))
    return { shard: null, range: idRange(index, count) };
  return { shard: index % shards, range: idRange(Math.floor(index / shards), count / shards) };
}
