import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type TrustedIssuerRow, trustedIssuers } from "../../schema/d1/issuers";

export async function listIssuerRows(env: Env): Promise<TrustedIssuerRow[]> {
  return drizzle(env.DB).select().from(trustedIssuers).all();
}

export async function findIssuerRow(env: Env, issuer: string): Promise<TrustedIssuerRow | undefined> {
  return drizzle(env.DB).select().from(trustedIssuers).where(eq(trustedIssuers.issuer, issuer)).get();
}

/** Insert or replace, so a retried registration is harmless; `createdAt` survives a replacement. */
export function upsertIssuerStatement(env: Env, row: TrustedIssuerRow) {
  const { issuer: _issuer, createdAt: _createdAt, ...rest } = row;
  return drizzle(env.DB)
    .insert(trustedIssuers)
    .values(row)
    .onConflictDoUpdate({ target: trustedIssuers.issuer, set: rest });
}

export function updateIssuerStatement(env: Env, issuer: string, set: Partial<TrustedIssuerRow>) {
  return drizzle(env.DB).update(trustedIssuers).set(set).where(eq(trustedIssuers.issuer, issuer));
}

export function deleteIssuerStatement(env: Env, issuer: string) {
  return drizzle(env.DB)
    .delete(trustedIssuers)
    .where(eq(trustedIssuers.issuer, issuer))
    .returning({ issuer: trustedIssuers.issuer });
}
