import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../../schema/d1/keys";
import { encodeBase64url } from "../lib/base64url";
import type { KeyCaller } from "./caller";
import { randomId, randomKey, sha256 } from "./hashing";

const CACHE_MS = 60_000;
/** How long past its minute a cached key may still be used while D1 fails. */
const STALE_IF_ERROR_MS = 3_600_000;
/** keyHash → caller (or null for unknown/revoked), so a busy scanner costs one D1 read a minute. */
const cache = new Map<string, { caller: KeyCaller | null; until: number }>();

export async function hashKey(key: string): Promise<string> {
  return encodeBase64url(await sha256(key));
}

/** Resolves a bearer key of the expected kind. Revocation takes effect at once in the revoking isolate, within a minute elsewhere. */
export async function resolveKey(
  env: Env,
  key: string,
  kinds: readonly KeyCaller["kind"][],
): Promise<KeyCaller | null> {
  const keyHash = await hashKey(key);
  const now = Date.now();
  let hit = cache.get(keyHash);
  if (!hit || hit.until < now) {
    let row: typeof apiKeys.$inferSelect | undefined;
    try {
      row = await drizzle(env.DB)
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .get();
    } catch (err) {
      // D1 down (issue 15, degraded mode): a key this isolate knew a little while ago still works,
      // so labs keep submitting (their results queue until D1 is back). Revocations in this isolate
      // drop the entry at once; elsewhere they take effect when D1 answers again.
      if (hit && now - hit.until < STALE_IF_ERROR_MS)
        return hit.caller && kinds.includes(hit.caller.kind) ? hit.caller : null;
      throw err;
    }
    hit = {
      caller: row ? { kind: row.kind, keyId: row.keyId, ownerId: row.ownerId } : null,
      until: now + CACHE_MS,
    };
    cache.set(keyHash, hit);
  }
  return hit.caller && kinds.includes(hit.caller.kind) ? hit.caller : null;
}

/** Creates a key; the plain key is returned once and only its hash is stored. */
export async function issueKey(
  env: Env,
  kind: KeyCaller["kind"],
  ownerId: string,
  label: string | null = null,
  plainKey: string = randomKey(kind === "device" ? "dev" : kind === "lab" ? "lab" : "vax"),
): Promise<{ keyId: string; key: string }> {
  const keyId = randomId("key");
  const keyHash = await hashKey(plainKey);
  await drizzle(env.DB)
    .insert(apiKeys)
    .values({ keyId, kind, ownerId, keyHash, label, createdAt: new Date().toISOString() })
    .onConflictDoNothing();
  cache.delete(keyHash);
  return { keyId, key: plainKey };
}

/** Revokes a key; returns false when no such live key belongs to that owner. */
export async function revokeKey(env: Env, ownerId: string, keyId: string): Promise<boolean> {
  const rows = await drizzle(env.DB)
    .update(apiKeys)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiKeys.keyId, keyId), eq(apiKeys.ownerId, ownerId), isNull(apiKeys.revokedAt)))
    .returning({ keyHash: apiKeys.keyHash });
  for (const r of rows) cache.delete(r.keyHash);
  return rows.length > 0;
}
