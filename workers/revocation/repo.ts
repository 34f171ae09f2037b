import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type PaperCodeRow, paperCodes, type RevocationRow, revocations } from "../../schema/d1/revocations";
import type { RevocationEntry } from "./crl";

/**
 * Entries that can still match a valid code (the ones published), and the counter: the highest entry
 * id ever, so it still grows when old entries drop out of the list.
 */
export async function liveRevocations(
  env: Env,
  now: Date,
): Promise<{ entries: RevocationEntry[]; ctr: number }> {
  const rows = await drizzle(env.DB)
    .select({
      id: revocations.id,
      rid: revocations.rid,
      before: revocations.before,
      until: revocations.until,
    })
    .from(revocations)
    .where(gt(revocations.until, now.toISOString()))
    .all();
  const ctrRow = await drizzle(env.DB)
    .select({ id: revocations.id })
    .from(revocations)
    .orderBy(desc(revocations.id))
    .limit(1)
    .get();
  return { entries: rows.map((r) => ({ ...r, until: Date.parse(r.until) })), ctr: ctrRow?.id ?? 0 };
}

export function insertRevocationStatement(env: Env, row: Omit<RevocationRow, "id">) {
  return drizzle(env.DB).insert(revocations).values(row);
}

export function insertPaperCodeStatement(env: Env, row: PaperCodeRow) {
  return drizzle(env.DB).insert(paperCodes).values(row);
}

export async function findPaperCode(
  env: Env,
  personId: string,
  codeId: string,
): Promise<PaperCodeRow | undefined> {
  return drizzle(env.DB)
    .select()
    .from(paperCodes)
    .where(and(eq(paperCodes.personId, personId), eq(paperCodes.codeId, codeId)))
    .get();
}

/** A person's printed codes that have not expired yet, newest first. */
export async function unexpiredPaperCodes(env: Env, personId: string, now: Date): Promise<PaperCodeRow[]> {
  return drizzle(env.DB)
    .select()
    .from(paperCodes)
    .where(and(eq(paperCodes.personId, personId), gt(paperCodes.expiresAt, now.toISOString())))
    .orderBy(desc(paperCodes.issuedAt))
    .all();
}

export function markPaperRevokedStatement(env: Env, codeId: string, at: string) {
  return drizzle(env.DB)
    .update(paperCodes)
    .set({ revokedAt: at })
    .where(and(eq(paperCodes.codeId, codeId), isNull(paperCodes.revokedAt)));
}
