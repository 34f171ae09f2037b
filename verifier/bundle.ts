import type { JWK } from "jose";
import { isRecord, parseCompact, parseJsonObject } from "./compact";
import { checkTimes, type Failure, verifyJws } from "./jws";
import { isShcCrl, type ShcCrl } from "./shc-crl";

export type { Color } from "../schema/vocabulary";
export type Entry = "pass" | "restricted" | "deny";
export type IssuerFormat = "hc+jwt" | "smart-health-card";

export interface ColorLabel<E extends Entry = Entry> {
  zh: string;
  en: string;
  entry: E;
}

export interface BundleIssuer {
  /** The `iss` value codes from this issuer carry. */
  issuer: string;
  name: string;
  regionCode: string;
  format: IssuerFormat;
  algorithms: string[];
  jwks: { keys: JWK[] };
  /** SMART Health Cards revocation lists (`method: "rid"`), one per key. */
  crls?: ShcCrl[];
}

export interface Bundle {
  /** Our issuer, which signed the bundle. */
  iss: string;
  iat: number;
  /** The bundle is refused after this (NumericDate), so revocations cannot go stale unnoticed. */
  exp: number;
  issuers: BundleIssuer[];
  /** kid → revocation ids: keyed hashes computed by the issuing server, never person ids. */
  revocations: Record<string, string[]>;
  colors: { green: ColorLabel<"pass">; yellow: ColorLabel<"restricted">; red: ColorLabel<"deny"> };
}

export const BUNDLE_TYP = "verifier-bundle+jwt";
const COLOR_ENTRIES = { green: "pass", yellow: "restricted", red: "deny" } as const;

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function issuerProblems(value: unknown, at: string): string[] {
  if (!isRecord(value)) return [`${at}: not an object`];
  const problems: string[] = [];
  for (const field of ["issuer", "name", "regionCode"] as const) {
    if (!isString(value[field])) problems.push(`${at}.${field}: not a string`);
  }
  if (value.format !== "hc+jwt" && value.format !== "smart-health-card")
    problems.push(`${at}.format: unknown`);
  if (!isStringArray(value.algorithms) || value.algorithms.length === 0)
    problems.push(`${at}.algorithms: not a non-empty string array`);
  const jwks = value.jwks;
  if (!isRecord(jwks) || !Array.isArray(jwks.keys) || !jwks.keys.every(isRecord))
    problems.push(`${at}.jwks: not a JWKS`);
  if (value.crls !== undefined && !(Array.isArray(value.crls) && value.crls.every(isShcCrl)))
    problems.push(`${at}.crls: not a list of rid CRLs`);
  return problems;
}

/** Hand-written instead of zod: this file ships to browsers and scanner apps, where size matters. */
export function bundleProblems(value: unknown): string[] {
  if (!isRecord(value)) return ["bundle: not an object"];
  const problems: string[] = [];
  if (!isString(value.iss)) problems.push("iss: not a string");
  if (!isTime(value.iat)) problems.push("iat: not a NumericDate");
  if (!isTime(value.exp)) problems.push("exp: not a NumericDate");
  if (!Array.isArray(value.issuers)) problems.push("issuers: not an array");
  else {
    for (const [i, issuer] of value.issuers.entries())
      problems.push(...issuerProblems(issuer, `issuers[${i}]`));
  }
  const revocations = value.revocations;
  if (!isRecord(revocations) || !Object.values(revocations).every(isStringArray))
    problems.push("revocations: not a kid → string[] map");
  const colors = value.colors;
  if (!isRecord(colors)) problems.push("colors: not an object");
  else {
    for (const [color, entry] of Object.entries(COLOR_ENTRIES)) {
      const label = colors[color];
      if (
        !isRecord(label) ||
        typeof label.zh !== "string" ||
        typeof label.en !== "string" ||
        label.entry !== entry
      )
        problems.push(`colors.${color}: needs zh, en and entry "${entry}"`);
    }
  }
  return problems;
}

export function isBundle(value: unknown): value is Bundle {
  return bundleProblems(value).length === 0;
}

export type OpenedBundle = { valid: true; bundle: Bundle } | Failure;

export interface OpenBundleOptions {
  /** Pin the bundle signer's `iss`; scanner apps should always set it. */
  issuer?: string;
}

/**
 * Verifies a bundle delivered as a compact JWS against the trust anchor pinned in the app (our issuer's
 * JWKS). Never throws: every refusal is a reason, `bundle_expired` once `exp` has passed.
 */
export async function openBundle(
  jws: string,
  trustAnchorJwks: { keys: JWK[] },
  now: Date,
  options: OpenBundleOptions = {},
): Promise<OpenedBundle> {
  const parsed = parseCompact(jws);
  if (!parsed) return { valid: false, reason: "malformed" };
  // typ keeps a bundle and a health code, both signed by our keys, from being mistaken for each other.
  if (parsed.header.typ !== BUNDLE_TYP) return { valid: false, reason: "malformed" };
  const keys = isRecord(trustAnchorJwks) && Array.isArray(trustAnchorJwks.keys) ? trustAnchorJwks.keys : [];
  const verified = await verifyJws(jws, keys, { algorithms: ["ES256"] });
  if ("reason" in verified) return verified;
  const bundle = parseJsonObject(verified.payload);
  if (!isBundle(bundle)) return { valid: false, reason: "malformed" };
  if (options.issuer !== undefined && bundle.iss !== options.issuer)
    return { valid: false, reason: "unknown_issuer" };
  const times = checkTimes(bundle, now);
  if (times === "expired") return { valid: false, reason: "bundle_expired" };
  if (times) return { valid: false, reason: times };
  return { valid: true, bundle };
}
