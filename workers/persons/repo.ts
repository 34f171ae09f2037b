import { and, count, eq, inArray, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AccountPersonRow, accountPersons, type PersonRow, persons } from "../../schema/d1/persons";
import { accountDb, allShards, groupByShard, personDb } from "../lib/shards";

// The directory lives on the person's shard; bindings on the account's shard (workers/lib/shards.ts).

export async function findPerson(env: Env, personId: string): Promise<PersonRow | undefined> {
  return personDb(env, personId).select().from(persons).where(eq(persons.personId, personId)).get();
}

export async function binding(
  env: Env,
  accountId: string,
  personId: string,
): Promise<AccountPersonRow | undefined> {
  return accountDb(env, accountId)
    .select()
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), eq(accountPersons.personId, personId)))
    .get();
}

/**
 * The persons an account manages, with what verifiers may see of them: the bindings from the
 * account's shard, each masked name from its person's shard (at most six, read at once).
 */
export async function managedPersons(env: Env, accountId: string) {
  const bound = await accountDb(env, accountId)
    .select()
    .from(accountPersons)
    .where(eq(accountPersons.accountId, accountId))
    .orderBy(accountPersons.createdAt)
    .all();
  const names = await Promise.all(
    bound.map((b) =>
      personDb(env, b.personId)
        .select({ maskedName: persons.maskedName })
        .from(persons)
        .where(eq(persons.personId, b.personId))
        .get(),
    ),
  );
  return bound.flatMap((b, i) => {
    const name = names[i];
    return name
      ? [
          {
            personId: b.personId,
            maskedName: name.maskedName,
            relationship: b.relationship,
            createdAt: b.createdAt,
          },
        ]
      : [];
  });
}

export async function selfBinding(env: Env, accountId: string): Promise<AccountPersonRow | undefined> {
  return accountDb(env, accountId)
    .select()
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), eq(accountPersons.relationship, "self")))
    .get();
}

export async function relativeCount(env: Env, accountId: string): Promise<number> {
  const row = await accountDb(env, accountId)
    .select({ n: count() })
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), ne(accountPersons.relationship, "self")))
    .get();
  return row?.n ?? 0;
}

/**
 * Accounts that manage a person (their own logins and relatives'). Bindings are kept by account, so
 * this asks every shard at once (used only to seed an object's managers once).
 */
export async function managingAccounts(env: Env, personId: string): Promise<AccountPersonRow[]> {
  const parts = await allShards(env, (d) =>
    drizzle(d).select().from(accountPersons).where(eq(accountPersons.personId, personId)).all(),
  );
  return parts.flat();
}

/** Inserts the person unless already known (the first registration's encrypted name stays). */
export function insertPersonStatement(env: Env, row: PersonRow) {
  return personDb(env, row.personId).insert(persons).values(row).onConflictDoNothing();
}

/**
 * The D1 copy of a binding the person's object has made active (it lists an account's persons and
 * counts its relatives); the object's set is the authority, so this follows it, relationship included.
 * Idempotent: a retry writes the same row.
 */
export async function upsertBinding(env: Env, row: AccountPersonRow): Promise<void> {
  await accountDb(env, row.accountId)
    .insert(accountPersons)
    .values(row)
    .onConflictDoUpdate({
      target: [accountPersons.accountId, accountPersons.personId],
      set: { relationship: row.relationship, verified: row.verified },
    });
}

/**
 * Drops the D1 copies of bindings the object no longer holds active (removed, displaced, pending):
 * one delete per account shard involved, at once. Idempotent.
 */
export async function deleteBindings(
  env: Env,
  personId: string,
  accountIds: readonly string[],
): Promise<void> {
  await Promise.all(
    [...groupByShard(env, accountIds, (a) => a, "account")].map(([d, ids]) =>
      drizzle(d)
        .delete(accountPersons)
        .where(and(eq(accountPersons.personId, personId), inArray(accountPersons.accountId, ids))),
    ),
  );
}

/**
 * The directory row: inserted unless known; with `rename`, the name on record becomes this one (the
 * person's own asserted or first name). One batch on the person's shard; idempotent.
 */
export async function savePerson(env: Env, row: PersonRow, rename: boolean): Promise<void> {
  const insert = insertPersonStatement(env, row);
  if (!rename) await insert;
  else
    await personDb(env, row.personId).batch([
      insert,
      updatePersonNameStatement(env, row.personId, row.nameEnc, row.maskedName),
    ]);
}

/** The name on record replaced by the person's own asserted (or first) name. */
export function updatePersonNameStatement(env: Env, personId: string, nameEnc: string, maskedName: string) {
  return personDb(env, personId)
    .update(persons)
    .set({ nameEnc, maskedName })
    .where(eq(persons.personId, personId));
}
