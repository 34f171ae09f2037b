import { desc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, labs } from "../../schema/d1/keys";

const db = (env: Env) => drizzle(env.DB);

export async function findLab(env: Env, labId: string) {
  return db(env).select().from(labs).where(eq(labs.labId, labId)).get();
}

/** Labs with their keys' metadata; key hashes never leave this function. */
export async function listLabs(env: Env) {
  const rows = await db(env).select().from(labs).orderBy(desc(labs.createdAt)).all();
  const ids = rows.map((r) => r.labId);
  const keys = ids.length
    ? (
        await Promise.all(
          Array.from({ length: Math.ceil(ids.length / 90) }, (_, i) =>
            db(env)
              .select({
                keyId: apiKeys.keyId,
                ownerId: apiKeys.ownerId,
                label: apiKeys.label,
                createdAt: apiKeys.createdAt,
                revokedAt: apiKeys.revokedAt,
              })
              .from(apiKeys)
              .where(inArray(apiKeys.ownerId, ids.slice(i * 90, i * 90 + 90)))
              .all(),
          ),
        )
      ).flat()
    : [];
  return rows.map((lab) => ({
    labId: lab.labId,
    name: lab.name,
    createdAt: lab.createdAt,
    keys: keys
      .filter((k) => k.ownerId === lab.labId)
      .map(({ ownerId: _, ...k }) => k)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  }));
}

export function insertLabStatement(env: Env, row: typeof labs.$inferInsert) {
  return db(env).insert(labs).values(row);
}
