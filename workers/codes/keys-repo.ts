import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type SigningKeyRow, signingKeyTable } from "../../schema/d1/signing-keys";

export async function listSigningKeyRows(env: Env): Promise<SigningKeyRow[]> {
  return drizzle(env.DB).select().from(signingKeyTable).all();
}

export function insertSigningKeyStatement(env: Env, row: SigningKeyRow) {
  return drizzle(env.DB).insert(signingKeyTable).values(row);
}

/** Records a retirement; for a secret-sourced key the row is created here (the secret itself stays). */
export async function markRetired(
  env: Env,
  row: Omit<SigningKeyRow, "retiredAt" | "privateJwkEnc">,
  at: string,
): Promise<void> {
  await drizzle(env.DB)
    .insert(signingKeyTable)
    .values({ ...row, privateJwkEnc: null, retiredAt: at })
    // The private part of a generated key is wiped: a retired key must never sign again.
    .onConflictDoUpdate({ target: signingKeyTable.kid, set: { retiredAt: at, privateJwkEnc: null } });
}

export async function findSigningKeyRow(env: Env, kid: string): Promise<SigningKeyRow | undefined> {
  return drizzle(env.DB).select().from(signingKeyTable).where(eq(signingKeyTable.kid, kid)).get();
}
