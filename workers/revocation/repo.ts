import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type PaperCodeRow, paperCodes, type RevocationRow, revocations } from "../../schema/d1/revocations";
import { allShards, personDb } from "../lib/shards";
import type { RevocationEntry } from "./crl";

/**
 * Entries that can still match a valid code (the ones published), from every shard at once, and the
 * counter: the sum of each shard's highest entry id ever, so it still grows when old entries drop
 * out of the list and whenever any shard adds one (ids are per shard; the counter is what readers see).
 */
export async function liveRevocations(
  env: Env,
  now: Date,
): Promise<{ entries: RevocationEntry[]; ctr: number }> {
  const parts = await allShards(env, async (shard) => {
    const d = drizzle(shard);
    const [rows, top] = await d.batch([
      d
        .select({
          id: revocations.id,
          rid: revocations.rid,
          before: revocations.before,
          until: revocations.until,
        })
        .from(revocations)
        .where(gt(revocations.until, now.toISOString())),
      d.select({ id: revocations.id }).from(revocations).orderBy(desc(revocations.id)).limit(1),
    ]);
    return { rows, max: top[0]?.id ?? 0 };
  });
  return {
    entries: parts.flatMap((p) => p.rows.map((r) => ({ ...r, until: Date.parse(r.until) }))),
    ctr: parts.reduce((n, p) => n + p.max, 0),
  };
}

export function insertRevocationStatement(env: Env, row: Omit<RevocationRow, "id">) {
  return personDb(env, row.personId).insert(revocations).values(row);
}

export function insertPaperCodeStatement(env: Env, row: PaperCodeRow) {
  return personDb(env, row.personId).insert(paperCodes).values(row);
}

export async function findPaperCode(
  env: Env,
  personId: string,
  codeId: string,
): Promise<PaperCodeRow | undefined> {
  return personDb(env, personId)
    .select()
    .from(paperCodes)
    .where(and(eq(paperCodes.personId, personId), eq(paperCodes.codeId, codeId)))
    .get();
}

/** A person's printed codes that have not expired yet, newest first. */
export async function unexpiredPaperCodes(env: Env, personId: string, now: Date): Promise<PaperCodeRow[]> {
  return personDb(env, personId)
    .select()
    .from(paperCodes)
    .where(and(eq(paperCodes.personId, personId), gt(paperCodes.expiresAt, now.toISOString())))
    .orderBy(desc(paperCodes.issuedAt))
    .all();
}

export function markPaperRevokedStatement(env: Env, personId: string, codeId: string, at: string) {
  return personDb(env, personId)
    .update(paperCodes)
    .set({ revokedAt: at })
    .where(and(eq(paperCodes.codeId, codeId), isNull(paperCodes.revokedAt)));
}
