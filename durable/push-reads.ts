import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { pushSubscriptions } from "../schema/d1/push";
import { groupByShard } from "../workers/lib/shards";
import type { PushTarget } from "./push-targets";

// What a person's object reads from D1 about its managers' push subscriptions: once per account,
// when the account starts managing the person (or, for an object from before it kept them, at its
// first notification). Here rather than in workers/push so that `durable/` never imports `workers/`.

/** Every subscription of these accounts, one statement per account shard (an object has a handful). */
export async function subscriptionsOfAccounts(
  env: Env,
  accountIds: readonly string[],
): Promise<PushTarget[]> {
  const parts = await Promise.all(
    [...groupByShard(env, accountIds, (a) => a, "account")].map(([shard, accounts]) =>
      drizzle(shard)
        .select({
          id: pushSubscriptions.id,
          accountId: pushSubscriptions.accountId,
          endpoint: pushSubscriptions.endpoint,
          p256dh: pushSubscriptions.p256dh,
          auth: pushSubscriptions.auth,
        })
        .from(pushSubscriptions)
        .where(inArray(pushSubscriptions.accountId, accounts))
        .all(),
    ),
  );
  return parts.flat();
}
