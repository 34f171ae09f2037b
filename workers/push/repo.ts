// D1 access for push subscriptions: plain functions over the binding, no Hono types.
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type PushSubscriptionRow, pushSubscriptions } from "../../schema/d1/push";
import { chunk } from "../lib/chunk";
import { accountDb, allShards, groupByShard } from "../lib/shards";

// Subscriptions live on their account's shard (workers/lib/shards.ts). A subscription named by id
// alone (a delivery queued before messages carried the account) is asked of every shard at once.

/** Browsers re-subscribe after reinstalls and key rotations; old endpoints beyond this are evicted. */
export const MAX_SUBSCRIPTIONS_PER_ACCOUNT = 10;

/** D1 binds at most 100 parameters a statement. */
const ID_CHUNK = 90;

export interface NewSubscription {
  accountId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  at: string;
}

/**
 * Creates the subscription or refreshes it (same account: new keys, same id). An endpoint held by
 * another account is not touched: whoever knows an endpoint (it travels through push services, apps,
 * logs) must not be able to move it and silently stop its owner's colour alerts. One statement on the
 * account's shard, so two concurrent subscribes of one endpoint by one account cannot both create it;
 * an endpoint held by an account on another shard is found first by asking every shard at once.
 * `taken`: held by another account.
 */
export async function upsertSubscription(
  env: Env,
  sub: NewSubscription,
): Promise<{ created: boolean; row: PushSubscriptionRow } | { taken: true }> {
  const elsewhere = await allShards(env, (shard) =>
    drizzle(shard)
      .select({ accountId: pushSubscriptions.accountId })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, sub.endpoint))
      .get(),
  );
  if (elsewhere.some((r) => r && r.accountId !== sub.accountId)) return { taken: true };
  const d = accountDb(env, sub.accountId);
  const id = crypto.randomUUID();
  const upsert = d
    .insert(pushSubscriptions)
    .values({ id, ...sub, createdAt: sub.at, failures: 0 })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { p256dh: sql`excluded.p256dh`, auth: sql`excluded.auth` },
      setWhere: sql`${pushSubscriptions.accountId} = excluded.account_id`,
    })
    .returning();
  const newest = d
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.accountId, sub.accountId))
    .orderBy(desc(pushSubscriptions.createdAt), sql`rowid DESC`) // rowid: insertion order within one millisecond
    .limit(MAX_SUBSCRIPTIONS_PER_ACCOUNT);
  const evict = d.delete(pushSubscriptions).where(
    and(
      eq(pushSubscriptions.accountId, sub.accountId),
      notInArray(pushSubscriptions.id, newest),
      // The one just written stays even if clocks put older rows "after" it.
      sql`${pushSubscriptions.endpoint} <> ${sub.endpoint}`,
    ),
  );
  const [rows] = await d.batch([upsert, evict]);
  const row = rows[0];
  if (!row) return { taken: true };
  return { created: row.id === id, row };
}

/** Deletes the caller's own subscription; false if this account holds no such endpoint. */
export async function deleteOwnSubscription(env: Env, accountId: string, endpoint: string): Promise<boolean> {
  const gone = await accountDb(env, accountId)
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

/** A subscription's id and the account whose shard holds it. */
export type SubscriptionRef = { id: string; accountId?: string | undefined };

/** Every subscription of these accounts (what a fan-out needs; keys are read at delivery). */
export async function subscriptionIdsOf(
  env: Env,
  accountIds: string[],
): Promise<Required<SubscriptionRef>[]> {
  const parts = await Promise.all(
    [...groupByShard(env, [...new Set(accountIds)], (a) => a, "account")].flatMap(([shard, accounts]) =>
      chunk(accounts, ID_CHUNK).map((part) =>
        drizzle(shard)
          .select({ id: pushSubscriptions.id, accountId: pushSubscriptions.accountId })
          .from(pushSubscriptions)
          .where(inArray(pushSubscriptions.accountId, part))
          .all(),
      ),
    ),
  );
  return parts.flat();
}

async function byIds(shard: D1Database, ids: string[]): Promise<PushSubscriptionRow[]> {
  const parts = await Promise.all(
    chunk([...new Set(ids)], ID_CHUNK).map((part) =>
      drizzle(shard).select().from(pushSubscriptions).where(inArray(pushSubscriptions.id, part)).all(),
    ),
  );
  return parts.flat();
}

export async function subscriptionsByIds(
  env: Env,
  refs: readonly SubscriptionRef[],
): Promise<Map<string, PushSubscriptionRow>> {
  const known = refs.filter((r) => r.accountId !== undefined);
  const unknown = refs.filter((r) => r.accountId === undefined).map((r) => r.id);
  const parts = await Promise.all([
    ...[...groupByShard(env, known, (r) => r.accountId!, "account")].map(([shard, part]) =>
      byIds(
        shard,
        part.map((r) => r.id),
      ),
    ),
    ...(unknown.length > 0 ? [allShards(env, (shard) => byIds(shard, unknown)).then((p) => p.flat())] : []),
  ]);
  const out = new Map<string, PushSubscriptionRow>();
  for (const r of parts.flat()) out.set(r.id, r);
  return out;
}

/** The subscription of an endpoint, whichever account (shard) holds it. */
export async function subscriptionByEndpoint(
  env: Env,
  endpoint: string,
): Promise<PushSubscriptionRow | undefined> {
  const found = await allShards(env, (shard) =>
    drizzle(shard).select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).get(),
  );
  return found.find((r) => r !== undefined);
}

type Delivered = Pick<PushSubscriptionRow, "id" | "accountId">;

export interface DeliveryOutcomes {
  delivered: Delivered[];
  failed: Delivered[];
  gone: Delivered[];
}

/** A batch's outcomes in one round trip per shard: prune gone subscriptions, keep counters for the rest. */
export async function recordOutcomes(env: Env, outcomes: DeliveryOutcomes, at: string): Promise<void> {
  const tagged = [
    ...outcomes.gone.map((s) => ({ ...s, outcome: "gone" as const })),
    ...outcomes.delivered.map((s) => ({ ...s, outcome: "delivered" as const })),
    ...outcomes.failed.map((s) => ({ ...s, outcome: "failed" as const })),
  ];
  await Promise.all(
    [...groupByShard(env, tagged, (s) => s.accountId, "account")].map(([shard, subs]) => {
      const d = drizzle(shard);
      const ids = (o: string) => subs.filter((s) => s.outcome === o).map((s) => s.id);
      const stmts = [
        ...chunk(ids("gone"), ID_CHUNK).map((part) =>
          d.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, part)),
        ),
        ...chunk(ids("delivered"), ID_CHUNK).map((part) =>
          d
            .update(pushSubscriptions)
            .set({ lastSuccessAt: at, failures: 0 })
            .where(inArray(pushSubscriptions.id, part)),
        ),
        ...chunk(ids("failed"), ID_CHUNK).map((part) =>
          d
            .update(pushSubscriptions)
            .set({ failures: sql`${pushSubscriptions.failures} + 1` })
            .where(inArray(pushSubscriptions.id, part)),
        ),
      ];
      return d.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    }),
  );
}
