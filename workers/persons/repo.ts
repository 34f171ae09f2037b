import { and, count, eq, inArray, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AccountPersonRow, accountPersons, type PersonRow, persons } from "../../schema/d1/persons";

const db = (env: Env) => drizzle(env.DB);

export async function findPerson(env: Env, personId: string): Promise<PersonRow | undefined> {
  return db(env).select().from(persons).where(eq(persons.personId, personId)).get();
}

export async function binding(
  env: Env,
  accountId: string,
  personId: string,
): Promise<AccountPersonRow | undefined> {
  return db(env)
    .select()
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), eq(accountPersons.personId, personId)))
    .get();
}

/** The persons an account manages, with what verifiers may see of them. */
export async function managedPersons(env: Env, accountId: string) {
  return db(env)
    .select({
      personId: persons.personId,
      maskedName: persons.maskedName,
      relationship: accountPersons.relationship,
      createdAt: accountPersons.createdAt,
    })
    .from(accountPersons)
    .innerJoin(persons, eq(persons.personId, accountPersons.personId))
    .where(eq(accountPersons.accountId, accountId))
    .orderBy(accountPersons.createdAt)
    .all();
}

export async function selfBinding(env: Env, accountId: string): Promise<AccountPersonRow | undefined> {
  return db(env)
    .select()
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), eq(accountPersons.relationship, "self")))
    .get();
}

export async function relativeCount(env: Env, accountId: string): Promise<number> {
  const row = await db(env)
    .select({ n: count() })
    .from(accountPersons)
    .where(and(eq(accountPersons.accountId, accountId), ne(accountPersons.relationship, "self")))
    .get();
  return row?.n ?? 0;
}

/** Accounts that manage a person (their own logins and relatives'), e.g. to notify them. */
export async function managingAccounts(env: Env, personId: string): Promise<AccountPersonRow[]> {
  return db(env).select().from(accountPersons).where(eq(accountPersons.personId, personId)).all();
}

/** Inserts the person unless already known (the first registration's encrypted name stays). */
export function insertPersonStatement(env: Env, row: PersonRow) {
  return db(env).insert(persons).values(row).onConflictDoNothing();
}

export function insertBindingStatement(env: Env, row: AccountPersonRow) {
  return db(env).insert(accountPersons).values(row).onConflictDoNothing();
}

/**
 * The D1 copy of a binding the person's object has made active (it lists an account's persons and
 * counts its relatives); the object's set is the authority, so this follows it, relationship included.
 */
export function upsertBindingStatement(env: Env, row: AccountPersonRow) {
  return db(env)
    .insert(accountPersons)
    .values(row)
    .onConflictDoUpdate({
      target: [accountPersons.accountId, accountPersons.personId],
      set: { relationship: row.relationship, verified: row.verified },
    });
}

/** Drops the D1 copies of bindings the object no longer holds active (removed, displaced, pending). */
export function deleteBindingsStatement(env: Env, personId: string, accountIds: readonly string[]) {
  return db(env)
    .delete(accountPersons)
    .where(and(eq(accountPersons.personId, personId), inArray(accountPersons.accountId, [...accountIds])));
}

/** The name on record replaced by the person's own asserted (or first) name. */
export function updatePersonNameStatement(env: Env, personId: string, nameEnc: string, maskedName: string) {
  return db(env).update(persons).set({ nameEnc, maskedName }).where(eq(persons.personId, personId));
}

/** D1 binds at most 100 parameters a statement. */
const IDS_PER_LOOKUP = 99;

/**
 * Statements reading which of `personIds` are in the directory (have applied or were imported), one
 * per chunk of ids, to run inside a caller's `batch()` after its own writes.
 */
export function directoryLookups(env: Env, personIds: readonly string[]) {
  const ids = [...new Set(personIds)];
  const out = [];
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP)
    out.push(
      db(env)
        .select({ personId: persons.personId })
        .from(persons)
        .where(inArray(persons.personId, ids.slice(i, i + IDS_PER_LOOKUP))),
    );
  return out;
}
