import { COLORS } from "../schema/vocabulary";
import { type Bundle, type BundleIssuer, type Color, isBundle } from "./bundle";
import { parseCompact, parseJsonObject } from "./compact";
import { checkTimes, type Failure, isoFromNumericDate, SUPPORTED_ALGORITHMS, verifyJws } from "./jws";
import { isRevokedByCrl } from "./shc-crl";
import { type ShcValid, verifySmartHealthCard } from "./smart-health-card";

export const CODE_TYP = "hc+jwt";

export interface CodeValid {
  valid: true;
  kind: "live" | "paper";
  issuer: string;
  issuerName: string;
  color: Color;
  issuedAt: string;
  expiresAt: string;
  /** The issuer's opaque person id; never an identity number. */
  sub: string;
}

/** A SMART Health Card is vaccination evidence, not a colour code: `color` and `sub` are null. */
export interface ShcOfflineValid extends Omit<ShcValid, "kid"> {
  issuerName: string;
  color: null;
  sub: null;
}

export type OfflineResult = CodeValid | ShcOfflineValid | Failure;

const fail = (reason: Failure["reason"]): Failure => ({ valid: false, reason });

function allowsAlg(issuer: BundleIssuer, alg: unknown): boolean {
  return SUPPORTED_ALGORITHMS.some((a) => a === alg) && issuer.algorithms.includes(alg as string);
}

async function verifyShc(input: string, bundle: Bundle, now: Date): Promise<OfflineResult> {
  const issuers = bundle.issuers.filter((i) => i.format === "smart-health-card");
  const result = await verifySmartHealthCard(input, issuers, now);
  if (!result.valid) return result;
  const { kid: _kid, ...card } = result;
  const issuerName = issuers.find((i) => i.issuer === card.issuer)?.name ?? card.issuer;
  return { ...card, issuerName, color: null, sub: null };
}

/**
 * Verifies a scanned code against an opened bundle with no network. Health codes (`hc+jwt`) and SMART
 * Health Cards (JWS, `shc:/` QR or file) are both accepted. Never throws: every refusal is a reason.
 */
export async function verifyCode(token: string, bundle: Bundle, now: Date): Promise<OfflineResult> {
  if (!isBundle(bundle)) return fail("malformed");
  // A stale bundle may be missing revocations and removed issuers, so it verifies nothing.
  // Same skew as openBundle, so a bundle it just accepted is not refused here a moment later.
  if (checkTimes({ exp: bundle.exp }, now) === "expired") return fail("bundle_expired");
  if (typeof token !== "string") return fail("malformed");
  const text = token.trim();
  if (text.startsWith("shc:/") || text.startsWith("{")) return verifyShc(text, bundle, now);

  const parsed = parseCompact(text);
  if (!parsed) return fail("malformed");
  // Only SMART Health Cards are compressed; their issuer sits inside the deflated payload.
  if (parsed.header.zip !== undefined) return verifyShc(text, bundle, now);
  const claims = parseJsonObject(parsed.payload);
  if (!claims || typeof claims.iss !== "string") return fail("malformed");
  const issuer = bundle.issuers.find((i) => i.issuer === claims.iss);
  if (!issuer) return fail("unknown_issuer");
  if (issuer.format === "smart-health-card") return verifyShc(text, bundle, now);

  const { alg, typ, kid } = parsed.header;
  if (!allowsAlg(issuer, alg)) return fail("unsupported_alg");
  if (typ !== CODE_TYP || typeof kid !== "string") return fail("malformed");
  const verified = await verifyJws(text, issuer.jwks.keys, { algorithms: issuer.algorithms });
  if ("reason" in verified) return verified;

  const { sub, color, ver, iat, exp, kind, rid } = claims;
  if (typeof sub !== "string" || typeof color !== "string" || !(COLORS as readonly string[]).includes(color))
    return fail("malformed");
  if (typeof ver !== "number" || typeof iat !== "number" || typeof exp !== "number") return fail("malformed");
  if (kind !== undefined && kind !== "live" && kind !== "paper") return fail("malformed");
  if (rid !== undefined && typeof rid !== "string") return fail("malformed");
  const times = checkTimes({ iat, nbf: claims.nbf, exp }, now);
  if (times) return fail(times);
  // Same entry forms as SHC CRLs: `rid` revokes the code, `rid.ts` revokes codes issued before ts.
  const revoked = Object.hasOwn(bundle.revocations, kid) ? bundle.revocations[kid]! : [];
  if (rid !== undefined && isRevokedByCrl([{ kid, method: "rid", ctr: 0, rids: revoked }], kid, rid, iat))
    return fail("revoked");

  return {
    valid: true,
    kind: kind ?? "live",
    issuer: issuer.issuer,
    issuerName: issuer.name,
    color: color as Color,
    issuedAt: isoFromNumericDate(iat),
    expiresAt: isoFromNumericDate(exp),
    sub,
  };
}
