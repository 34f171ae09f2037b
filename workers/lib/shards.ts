// The shard map: which D1 person shard holds a row. Person-keyed rows (directory, colour snapshots and
// change log, paper codes, revocations, appeals, results, vaccination records, import lines) go by
// `personId`; account-keyed rows (bindings, push subscriptions) by a hash of the account. Registries
// stay in `DB`. D1 bindings are static, so the shards are bindings PERSON_SHARD_0 … PERSON_SHARD_<n-1>
// and PERSON_SHARDS names n (workers/config.ts refuses a count that does not match the bindings).
// Only repository functions call this: routes never see shards.

import { drizzle } from "drizzle-orm/d1";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const cached = new WeakMap<object, D1Database[]>();

/** Every shard's database, in index order (parsed once per env object). */
export function shardDatabases(env: Env): D1Database[] {
  let dbs = cached.get(env);
  if (!dbs) {
    const raw = env as unknown as Record<string, unknown>;
    const n = Number(raw.PERSON_SHARDS ?? "4");
    if (!Number.isInteger(n) || n < 1) throw new Error("PERSON_SHARDS: not a whole number ≥ 1");
    dbs = [];
    for (let i = 0; i < n; i++) {
      const db = raw[`PERSON_SHARD_${i}`] as D1Database | undefined;
      if (!db) throw new Error(`PERSON_SHARDS is ${n} but binding PERSON_SHARD_${i} is missing`);
      dbs.push(db);
    }
    cached.set(env, dbs);
  }
  return dbs;
}

/** 32-bit FNV-1a with a murmur3 finaliser: a stable, well-mixed hash of any string. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The shard index of a person: the first 30 bits of the id (base64url of a keyed HMAC, so uniform)
 * modulo n. An id outside the alphabet (never issued, but a caller may send one) is hashed instead.
 */
export function personShardIndex(personId: string, n: number): number {
  let v = 0;
  for (let i = 0; i < 5; i++) {
    const d = ALPHABET.indexOf(personId[i] ?? "");
    if (d < 0) return hash32(`p:${personId}`) % n;
    v = v * 64 + d;
  }
  return v % n;
}

/** The shard index of an account (`issuer|subject`): a hash, since subjects are not uniform. */
export function accountShardIndex(accountId: string, n: number): number {
  return hash32(`a:${accountId}`) % n;
}

/** The database holding a person's rows. */
export function shardFor(env: Env, personId: string): D1Database {
  const dbs = shardDatabases(env);
  return dbs[personShardIndex(personId, dbs.length)] as D1Database;
}

/** The database holding an account's rows (bindings, push subscriptions). */
export function accountShard(env: Env, accountId: string): D1Database {
  const dbs = shardDatabases(env);
  return dbs[accountShardIndex(accountId, dbs.length)] as D1Database;
}

/**
 * Runs `query` on every shard at once and returns the results in shard order: the few cross-person
 * listings (open appeals, the revocation list, statistics) merge these. Never a serial chain.
 */
export function allShards<T>(env: Env, query: (db: D1Database, index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(shardDatabases(env).map((db, i) => query(db, i)));
}

/** Groups items by the shard of the key each maps to, so a caller writes one batch per shard. */
export function groupByShard<T>(
  env: Env,
  items: readonly T[],
  key: (item: T) => string,
  kind: "person" | "account" = "person",
): Map<D1Database, T[]> {
  const dbs = shardDatabases(env);
  const out = new Map<D1Database, T[]>();
  for (const item of items) {
    const k = key(item);
    const i = kind === "person" ? personShardIndex(k, dbs.length) : accountShardIndex(k, dbs.length);
    const db = dbs[i] as D1Database;
    const list = out.get(db);
    if (list) list.push(item);
    else out.set(db, [item]);
  }
  return out;
}

/** Drizzle over the shard holding a person's rows. */
export const personDb = (env: Env, personId: string) => drizzle(shardFor(env, personId));

/** Drizzle over the shard holding an account's rows. */
export const accountDb = (env: Env, accountId: string) => drizzle(accountShard(env, accountId));
