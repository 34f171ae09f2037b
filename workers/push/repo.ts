// D1 access for push subscriptions: plain functions over the binding, no Hono types.
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type PushSubscriptionRow, pushSubscriptions } from "../../schema/d1/push";
import { chunk } from "../lib/chunk";

const db = (env: Env) => drizzle(env.DB);

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
 * logs) must not be able to move it and silently stop its owner's colour alerts. One statement, so two
 * concurrent subscribes of one endpoint cannot both create it. `taken`: held by another account.
 */
export async function upsertSubscription(
  env: Env,
  sub: NewSubscription,
): Promise<{ created: boolean; row: PushSubscriptionRow } | { taken: true }> {
  const id = crypto.randomUUID();
  const upsert = db(env)
    .insert(pushSubscriptions)
    .values({ id, ...sub, createdAt: sub.at, failures: 0 })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { p256dh: sql`excluded.p256dh`, auth: sql`excluded.auth` },
      setWhere: sql`${pushSubscriptions.accountId} = excluded.account_id`,
    })
    .returning();
  const newest = db(env)
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.accountId, sub.accountId))
    .orderBy(desc(pushSubscriptions.createdAt), sql`rowid DESC`) // rowid: insertion order within one millisecond
    .limit(MAX_SUBSCRIPTIONS_PER_ACCOUNT);
  const evict = db(env)
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.accountId, sub.accountId),
        notInArray(pushSubscriptions.id, newest),
        // The one just written stays even if clocks put older rows "after" it.
        sql`${pushSubscriptions.endpoint} <> ${sub.endpoint}`,
      ),
    );
  const [rows] = await db(env).batch([upsert, evict]);
  const row = rows[0];
  if (!row) return { taken: true };
  return { created: row.id === id, row };
}

/** Deletes the caller's own subscription; false if this account holds no such endpoint. */
export async function deleteOwnSubscription(env: Env, accountId: string, endpoint: string): Promise<boolean> {
  const gone = await db(env)
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

/** Ids of every subscription of these accounts (what a fan-out needs; keys are read at delivery). */
export async function subscriptionIdsOf(env: Env, accountIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const part of chunk([...new Set(accountIds)], ID_CHUNK)) {
    const rows = await db(env)
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.accountId, part))
      .all();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

export async function subscriptionsByIds(env: Env, ids: string[]): Promise<Map<string, PushSubscriptionRow>> {
  const out = new Map<string, PushSubscriptionRow>();
  for (const part of chunk([...new Set(ids)], ID_CHUNK)) {
    const rows = await db(env)
      .select()
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.id, part))
      .all();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export async function subscriptionByEndpoint(
  env: Env,
  endpoint: string,
): Promise<PushSubscriptionRow | undefined> {
  return db(env).select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).get();
}

export interface DeliveryOutcomes {
  delivered: string[];
  failed: string[];
  gone: string[];
}

/** A batch's outcomes in one round trip: prune gone subscriptions, keep counters for the rest. */
export async function recordOutcomes(env: Env, outcomes: DeliveryOutcomes, at: string): Promise<void> {
  const d = db(env);
  const stmts = [
    ...chunk(outcomes.gone, ID_CHUNK).map((ids) =>
      d.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, ids)),
    ),
    ...chunk(outcomes.delivered, ID_CHUNK).map((ids) =>
      d
        .update(pushSubscriptions)
        .set({ lastSuccessAt: at, failures: 0 })
        .where(inArray(pushSubscriptions.id, ids)),
    ),
    ...chunk(outcomes.failed, ID_CHUNK).map((ids) =>
      d
        .update(pushSubscriptions)
        .set({ failures: sql`${pushSubscriptions.failures} + 1` })
        .where(inArray(pushSubscriptions.id, ids)),
    ),
  ];
  if (stmts.length === 0) return;
  await d.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
}
