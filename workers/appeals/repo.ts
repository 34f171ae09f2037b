import { and, asc, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AppealRow, appeals } from "../../schema/d1/appeals";
import { allShards, personDb } from "../lib/shards";

// Appeals live on their person's shard. The authority's queue and a look-up by appeal id alone ask
// every shard at once.

export function insertAppealStatement(env: Env, row: AppealRow) {
  return personDb(env, row.personId).insert(appeals).values(row);
}

export async function appealsOfPerson(env: Env, personId: string): Promise<AppealRow[]> {
  return personDb(env, personId)
    .select()
    .from(appeals)
    .where(eq(appeals.personId, personId))
    .orderBy(desc(appeals.createdAt))
    .all();
}

const oldestFirst = (a: AppealRow, b: AppealRow) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.appealId < b.appealId ? -1 : 1;

/** Oldest first: the authority works the queue from the longest waiting (each shard's first `limit`, merged). */
export async function appealsByState(
  env: Env,
  state: AppealRow["state"] | undefined,
  limit: number,
): Promise<AppealRow[]> {
  const parts = await allShards(env, (shard) => {
    const q = drizzle(shard).select().from(appeals);
    return (state ? q.where(eq(appeals.state, state)) : q)
      .orderBy(asc(appeals.createdAt), asc(appeals.appealId))
      .limit(limit)
      .all();
  });
  return parts.flat().sort(oldestFirst).slice(0, limit);
}

/** An appeal by id: on its person's shard when the person is known, else asked of every shard. */
export async function findAppeal(
  env: Env,
  appealId: string,
  personId?: string,
): Promise<AppealRow | undefined> {
  if (personId)
    return personDb(env, personId).select().from(appeals).where(eq(appeals.appealId, appealId)).get();
  const found = await allShards(env, (shard) =>
    drizzle(shard).select().from(appeals).where(eq(appeals.appealId, appealId)).get(),
  );
  return found.find((r) => r !== undefined);
}

/** Answers only an open appeal; the returned row count tells whether this call was the one that did. */
export function answerStatement(
  env: Env,
  appeal: Pick<AppealRow, "appealId" | "personId">,
  set: Pick<AppealRow, "answerEnc" | "answeredAt" | "answeredBy" | "event" | "upheld">,
) {
  return personDb(env, appeal.personId)
    .update(appeals)
    .set({ ...set, state: "answered" })
    .where(and(eq(appeals.appealId, appeal.appealId), eq(appeals.state, "open")))
    .returning({ appealId: appeals.appealId });
}
