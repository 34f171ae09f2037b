import type { VerifyResult } from "../../schema/wire/verify";
import {
  type Bundle,
  type BundleIssuer,
  inflateRaw,
  parseCompact,
  parseJsonObject,
  type ShcResult,
  toShcJws,
  verifyCode,
  verifySmartHealthCard,
} from "../../verifier";
import { COLOR_VOCABULARY } from "../bundle/colors";
import { config } from "../config";
import {
  activeIssuer,
  activeIssuers,
  keysStale,
  type TrustedIssuer,
  toBundleIssuer,
} from "../issuers/registry";
import { ourIssuer } from "../issuers/self";
import { type VerifyOptions, verifyOwnCode } from "./verify";

type Failure = Extract<VerifyResult, { valid: false }>;
const fail = (reason: Failure["reason"], stale?: boolean): Failure =>
  stale ? { valid: false, reason, keysStale: true } : { valid: false, reason };

/** The library's reasons that /v1/verify also uses; `bundle_expired` cannot happen with a fresh in-memory bundle. */
function serverReason(reason: string): Failure["reason"] {
  return reason === "bundle_expired" ? "malformed" : (reason as Failure["reason"]);
}

/** hc+jwt codes of other issuers carry their own rid CRLs; the library reads them from `revocations`. */
function revocationsOf(issuer: BundleIssuer): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const crl of issuer.crls ?? []) out[crl.kid] = [...(out[crl.kid] ?? []), ...crl.rids];
  return out;
}

/** A one-issuer bundle in memory, so the server verifies other issuers' codes with the offline library. */
function bundleFor(env: Env, issuer: TrustedIssuer, now: Date): Bundle {
  const entry = toBundleIssuer(issuer);
  const t = Math.floor(now.getTime() / 1000);
  return {
    iss: config(env).issuer,
    iat: t,
    exp: t + 300,
    issuers: [entry],
    revocations: revocationsOf(entry),
    colors: COLOR_VOCABULARY,
  };
}

/** The verified SHC payload's nbf, read only after the library has verified the signature. */
async function shcNbf(token: string): Promise<number | null> {
  const jws = toShcJws(token);
  const parsed = jws ? parseCompact(jws) : null;
  const inflated = parsed ? await inflateRaw(parsed.payload) : null;
  const payload = inflated ? parseJsonObject(inflated) : null;
  return typeof payload?.nbf === "number" ? payload.nbf : null;
}

/**
 * SMART Health Cards. Order of checks: revoked before expired. The library checks expiry first, so an
 * expired card is checked once more at its own issue time: a revocation does not depend on the clock,
 * and "revoked" tells the holder that a new card is needed, which "expired" would not.
 */
async function verifyShcOnline(env: Env, token: string, now: Date): Promise<VerifyResult> {
  const issuers = (await activeIssuers(env, now.getTime())).filter((i) => i.format === "smart-health-card");
  const trusted = issuers.map(toBundleIssuer);
  let result: ShcResult = await verifySmartHealthCard(token, trusted, now);
  if (!result.valid && result.reason === "expired") {
    const nbf = await shcNbf(token);
    if (nbf !== null) {
      const atIssue = await verifySmartHealthCard(token, trusted, new Date(nbf * 1000));
      if (!atIssue.valid && atIssue.reason === "revoked") result = atIssue;
    }
  }
  if (!result.valid) return fail(serverReason(result.reason));
  const issuer = issuers.find((i) => i.issuer === result.issuer)!;
  return {
    valid: true,
    kind: "smart-health-card",
    issuer: result.issuer,
    issuerName: issuer.name,
    issuedAt: result.issuedAt,
    expiresAt: result.expiresAt,
    vaccinations: result.vaccinations as unknown as Record<string, unknown>[],
    ...(keysStale(issuer) ? { keysStale: true } : {}),
  };
}

/**
 * POST /v1/verify for any trusted issuer. Our own codes: signature, revocation, expiry and the person's
 * colour now (verifyOwnCode). Another issuer's hc+jwt code: the offline library against that issuer's
 * keys and CRLs; its person's state is not ours to see, so `color` is the token's, `current: true` and
 * `stateChecked: false`. SMART Health Cards (JWS, `shc:/` or file): `kind: "smart-health-card"`.
 */
export async function verifyAnyCode(
  env: Env,
  token: string,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const text = token.trim();
  const now = new Date();
  if (text.startsWith("shc:/") || text.startsWith("{")) return verifyShcOnline(env, text, now);
  const parsed = parseCompact(text);
  if (!parsed) return fail("malformed");
  if (parsed.header.zip !== undefined) return verifyShcOnline(env, text, now);
  const claims = parseJsonObject(parsed.payload);
  if (!claims || typeof claims.iss !== "string") return fail("malformed");

  const self = ourIssuer(env);
  if (claims.iss === self.issuer) {
    const verified = await verifyOwnCode(env, text, opts);
    if (!verified.valid) return verified;
    const { personId: _omit, ...result } = verified;
    return { ...result, issuerName: self.name };
  }

  const issuer = await activeIssuer(env, claims.iss, parsed.header.kid, now.getTime());
  if (!issuer) return fail("unknown_issuer");
  if (issuer.format === "smart-health-card") return verifyShcOnline(env, text, now);
  const stale = keysStale(issuer);
  const result = await verifyCode(text, bundleFor(env, issuer, now), now);
  if (!result.valid) return fail(serverReason(result.reason), stale);
  if (result.kind === "smart-health-card") return fail("malformed");
  return {
    valid: true,
    kind: result.kind,
    color: result.color,
    tokenColor: result.color,
    current: true,
    stateChecked: false,
    issuer: result.issuer,
    issuerName: result.issuerName,
    issuedAt: result.issuedAt,
    expiresAt: result.expiresAt,
    ...(stale ? { keysStale: true } : {}),
  };
}
