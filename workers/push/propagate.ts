// Keeps the copies of an account's push subscriptions in the objects of the persons it manages in
// step with D1 (the record). Called after the D1 write by the push routes and, for endpoints the push
// service reports gone, by the notify consumer. Idempotent and order-free (durable/push-targets.ts),
// so a retry of the request or message repeats it safely.
import type { PushTarget } from "../../durable/push-targets";
import { personsManagedBy } from "./repo";

export interface SubscriptionChange {
  accountId: string;
  upserts: PushTarget[];
  removed: string[];
}

/** Throws if any object could not be told (the caller fails or retries; the D1 write stands). */
export async function propagate(env: Env, change: SubscriptionChange): Promise<void> {
  // The write's time, taken after it: a later write of the same id carries a later version.
  const version = Date.now();
  const persons = await personsManagedBy(env, change.accountId);
  await Promise.all(
    persons.map((personId) => env.PERSON.getByName(personId).updatePushTargets({ ...change, version })),
  );
}
