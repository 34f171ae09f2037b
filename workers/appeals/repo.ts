import { and, asc, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AppealRow, appeals } from "../../schema/d1/appeals";

const db = (env: Env) => drizzle(env.DB);

export function insertAppealStatement(env: Env, row: AppealRow) {
  return db(env).insert(appeals).values(row);
}

export async function appealsOfPerson(env: Env, personId: string): Promise<AppealRow[]> {
  return db(env)
    .select()
    .from(appeals)
    .where(eq(appeals.personId, personId))
    .orderBy(desc(appeals.createdAt))
    .all();
}

/** Oldest first: the authority works the queue from the longest waiting. */
export async function appealsByState(
  env: Env,
  state: AppealRow["state"] | undefined,
  limit: number,
): Promise<AppealRow[]> {
  const q = db(env).select().from(appeals);
  return (state ? q.where(eq(appeals.state, state)) : q)
    .orderBy(asc(appeals.createdAt), asc(appeals.appealId))
    .limit(limit)
    .all();
}

export async function findAppeal(env: Env, appealId: string): Promise<AppealRow | undefined> {
  return db(env).select().from(appeals).where(eq(appeals.appealId, appealId)).get();
}

/** Answers only an open appeal; the returned row count tells whether this call was the one that did. */
export function answerStatement(
  env: Env,
  appealId: string,
  set: Pick<AppealRow, "answerEnc" | "answeredAt" | "answeredBy" | "event" | "upheld">,
) {
  return db(env)
    .update(appeals)
    .set({ ...set, state: "answered" })
    .where(and(eq(appeals.appealId, appealId), eq(appeals.state, "open")))
    .returning({ appealId: appeals.appealId });
}
