// D1 access for push subscriptions: plain functions over the binding, no Hono types.
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accountPersons } from "../../schema/d1/persons";
import { type PushSubscriptionRow, pushSubscriptions } from "../../schema/d1/push";
import { chunk } from "../lib/chunk";
import { accountDb, allShards } from "../lib/shards";

// Subscriptions live on their account's shard (workers/lib/shards.ts): the record. Copies live in the
// objects of the persons each account manages (durable/push-targets.ts), which is where the notify
// consumer reads them; the routes and the consumer keep them in step (./propagate.ts).

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
 * `taken`: held by another account. `evicted`: the ids the per-account limit pushed out.
 */
export async function upsertSubscription(
  env: Env,
  sub: NewSubscription,
): Promise<{ created: boolean; row: PushSubscriptionRow; evicted: string[] } | { taken: true }> {
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
  const evict = d
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.accountId, sub.accountId),
        notInArray(pushSubscriptions.id, newest),
        // The one just written stays even if clocks put older rows "after" it.
        sql`${pushSubscriptions.endpoint} <> ${sub.endpoint}`,
      ),
    )
    .returning({ id: pushSubscriptions.id });
  const [rows, evicted] = await d.batch([upsert, evict]);
  const row = rows[0];
  if (!row) return { taken: true };
  return { created: row.id === id, row, evicted: evicted.map((e) => e.id) };
}

/** The caller's own subscription of this endpoint (undefined: none, or another account's). */
export async function ownSubscription(
  env: Env,
  accountId: string,
  endpoint: string,
): Promise<PushSubscriptionRow | undefined> {
  return accountDb(env, accountId)
    .select()
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.endpoint, endpoint)))
    .get();
}

/** Deletes an account's subscriptions by id (unsubscribed, or gone at the push service). */
export async function deleteSubscriptions(
  env: Env,
  accountId: string,
  ids: readonly string[],
): Promise<void> {
  const d = accountDb(env, accountId);
  await Promise.all(
    chunk([...ids], ID_CHUNK).map((part) =>
      d
        .delete(pushSubscriptions)
        .where(and(eq(pushSubscriptions.accountId, accountId), inArray(pushSubscriptions.id, part))),
    ),
  );
}

/** The persons an account manages (its D1 bindings, on the account's shard): whose objects copy its subscriptions. */
export async function personsManagedBy(env: Env, accountId: string): Promise<string[]> {
  const rows = await accountDb(env, accountId)
    .select({ personId: accountPersons.personId })
    .from(accountPersons)
    .where(eq(accountPersons.accountId, accountId))
    .all();
  return rows.map((r) => r.personId);
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

/**
 * Deliveries refused or deferred, counted for operators (one statement per shard, only when a push
 * failed: a delivery that succeeds writes nothing to D1, so the notify path reads and writes none).
 */
export async function countFailures(
  env: Env,
  failed: readonly { id: string; accountId: string }[],
): Promise<void> {
  const byAccount = new Map<string, string[]>();
  for (const f of failed) byAccount.set(f.accountId, [...(byAccount.get(f.accountId) ?? []), f.id]);
  await Promise.all(
    [...byAccount].flatMap(([accountId, ids]) =>
      chunk(ids, ID_CHUNK).map((part) =>
        accountDb(env, accountId)
          .update(pushSubscriptions)
          .set({ failures: sql`${pushSubscriptions.failures} + 1` })
          .where(inArray(pushSubscriptions.id, part)),
      ),
    ),
  );
}
