import { calculateJwkThumbprint, importJWK, type JWK } from "jose";
import { config } from "../config";
import { listSigningKeyRows } from "./keys-repo";
import { unwrapPrivateJwk } from "./keys-wrap";
import { type KeyState, keyStates } from "./rotation";

/** A bootstrap code-signing key from the secret: a private P-256 JWK, optionally with when it starts signing. */
interface SigningKeyEntry extends JWK {
  /** ISO time from which this key signs; until then it is only published, so verifiers learn it early. */
  activeFrom?: string;
}

export interface SigningKey {
  kid: string;
  activeFrom: number;
  /** ms; when the key was retired (recorded in D1), else null. */
  retiredAt: number | null;
  /** False for a retired key whose private part was wiped: `privateKey` is then the public key. */
  canSign: boolean;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: "ES256"; use: "sig" };
  source: "secret" | "generated";
  state: KeyState;
}

/**
 * Keys are cached per isolate for a short time so the code and verify hot paths do not read D1 on
 * every request. A rotation is published immediately in the isolate that made it and within this TTL
 * everywhere else; verification also reloads early when it meets an unknown kid (see `findPublishedKey`).
 */
export const KEY_CACHE_TTL_MS = 60_000;
/** Reloads on an unknown kid at most this often, so a flood of forged kids cannot hammer D1. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

interface Loaded {
  at: number;
  keys: Promise<SigningKey[]>;
}
let loaded: { env: string; value: Loaded } | undefined;
let lastUnknownKidReload = 0;

interface RawKey {
  kid: string;
  activeFrom: number;
  source: "secret" | "generated";
  publicPart: { kty: string; crv: string; x: string; y: string };
  privateJwk: JsonWebKey | null;
  retiredAt: number | null;
}

// SIGNING_KEYS is validated by the config schema at start; the imported keys are cached per isolate
// by the raw secret, so every env object carrying the same secret (a wrapped env in tests) shares them.
const secretCache = new Map<string, Promise<RawKey[]>>();

function secretKeys(env: Env): Promise<RawKey[]> {
  let keys = secretCache.get(env.SIGNING_KEYS);
  if (!keys) {
    keys = Promise.all(
      (JSON.parse(env.SIGNING_KEYS) as SigningKeyEntry[]).map(async (entry) => {
        const publicPart = {
          kty: String(entry.kty),
          crv: String(entry.crv),
          x: String(entry.x),
          y: String(entry.y),
        };
        return {
          kid: await calculateJwkThumbprint(publicPart, "sha256"),
          activeFrom: entry.activeFrom ? Date.parse(entry.activeFrom) : 0,
          source: "secret" as const,
          publicPart,
          privateJwk: { ...publicPart, d: entry.d } as JsonWebKey,
          retiredAt: null,
        };
      }),
    );
    secretCache.set(env.SIGNING_KEYS, keys);
  }
  return keys;
}

/** The longest life of anything our keys sign (paper codes, live codes, bundles), plus clock skew. */
export function maxSignedLifetimeMs(env: Env): number {
  const c = config(env);
  const bundleS = bundleTtlSeconds(env);
  return Math.max(c.codeTtlSeconds, c.paperCodeTtlDays * 86_400, bundleS) * 1000 + 60_000;
}

/** Validity of the offline verifier bundle (`BUNDLE_TTL_HOURS`, default 24). */
export function bundleTtlSeconds(env: Env): number {
  return config(env).bundleTtlHours * 3600;
}

async function load(env: Env): Promise<SigningKey[]> {
  const fromSecret = await secretKeys(env);
  const rows = await listSigningKeyRows(env);
  const byKid = new Map<string, RawKey>(fromSecret.map((k) => [k.kid, { ...k }]));
  for (const row of rows) {
    const existing = byKid.get(row.kid);
    const retiredAt = row.retiredAt ? Date.parse(row.retiredAt) : null;
    if (existing) {
      existing.retiredAt = retiredAt;
      continue;
    }
    if (row.source === "secret") continue; // a retired bootstrap key removed from the secret since
    const publicPart = JSON.parse(row.publicJwk) as RawKey["publicPart"];
    byKid.set(row.kid, {
      kid: row.kid,
      activeFrom: Date.parse(row.activeFrom),
      source: "generated",
      publicPart,
      privateJwk: row.privateJwkEnc ? await unwrapPrivateJwk(env, row.kid, row.privateJwkEnc) : null,
      retiredAt,
    });
  }
  const raw = [...byKid.values()];
  return Promise.all(
    raw.map(async (k) => {
      const publicKey = (await importJWK({ ...k.publicPart, alg: "ES256" }, "ES256")) as CryptoKey;
      // A wiped private part leaves a verify-only key; signing with it fails loudly, never silently.
      const privateKey = k.privateJwk
        ? ((await importJWK({ ...(k.privateJwk as JWK), alg: "ES256" }, "ES256")) as CryptoKey)
        : publicKey;
      return {
        kid: k.kid,
        activeFrom: k.activeFrom,
        retiredAt: k.retiredAt,
        canSign: k.privateJwk !== null,
        privateKey,
        publicKey,
        publicJwk: { ...k.publicPart, kid: k.kid, alg: "ES256" as const, use: "sig" as const },
        source: k.source,
        state: {
          kid: k.kid,
          status: "active" as const,
          activeFrom: k.activeFrom,
          stoppedAt: null,
          retiresAfter: null,
        },
      };
    }),
  );
}

/** Forgets the cached keys of this isolate (after a rotation or retirement made here). */
export function invalidateSigningKeys(): void {
  loaded = undefined;
}

function cached(env: Env, now: number): Promise<SigningKey[]> {
  if (!loaded || loaded.env !== env.SIGNING_KEYS || now - loaded.value.at > KEY_CACHE_TTL_MS) {
    const value = { at: now, keys: load(env) };
    loaded = { env: env.SIGNING_KEYS, value };
    // A failed D1 read must not stick for a whole TTL.
    value.keys.catch(() => {
      if (loaded?.value === value) loaded = undefined;
    });
  }
  return loaded.value.keys;
}

/** States depend on the time, not only on the rows, so they are computed per call: a switch happens on time. */
function withStates(env: Env, keys: SigningKey[], now: number): SigningKey[] {
  const states = new Map(keyStates(keys, now, maxSignedLifetimeMs(env)).map((s) => [s.kid, s]));
  return keys.map((k) => ({ ...k, state: states.get(k.kid)! }));
}

/**
 * Every key we hold: the SIGNING_KEYS bootstrap keys and the rotated keys from D1, including pending
 * and retired ones (printed place codes signed by a retired key still verify through this). Health
 * codes are verified against `publishedSigningKeys` only.
 */
export async function signingKeys(env: Env, now = Date.now()): Promise<SigningKey[]> {
  return withStates(env, await cached(env, now), now);
}

/** The keys in our JWKS: pending, active and previous ones; never retired ones. */
export async function publishedSigningKeys(env: Env, now = Date.now()): Promise<SigningKey[]> {
  return (await signingKeys(env, now)).filter((k) => k.state.status !== "retired");
}

/**
 * A published key by kid. An unknown kid may be a key rotated in by another isolate within the cache
 * TTL, so the keys are reloaded once (rate-limited) before the kid is called unknown.
 */
export async function findPublishedKey(
  env: Env,
  kid: unknown,
  now = Date.now(),
): Promise<SigningKey | undefined> {
  if (typeof kid !== "string") return undefined;
  const find = async () => (await publishedSigningKeys(env, now)).find((k) => k.kid === kid);
  const key = await find();
  if (key || now - lastUnknownKidReload < UNKNOWN_KID_RELOAD_MS) return key;
  lastUnknownKidReload = now;
  invalidateSigningKeys();
  return find();
}

/** The key that signs now: the one whose turn it is on the timeline. */
export async function activeSigningKey(env: Env, now = Date.now()): Promise<SigningKey> {
  const key = (await signingKeys(env, now)).find((k) => k.state.status === "active");
  if (!key?.canSign) throw new Error("no active signing key");
  return key;
}

/** Published keys: pending ones (published ahead of use), the active one and previous ones not yet retired. */
export async function publicJwks(env: Env, now = Date.now()) {
  return { keys: (await publishedSigningKeys(env, now)).map((k) => k.publicJwk) };
}
