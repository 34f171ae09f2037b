import type { JWK } from "jose";
import { isRecord, parseCompact, parseJsonObject } from "./compact";
import { inflateRaw } from "./inflate";
import { checkTimes, type Failure, isoFromNumericDate, verifyJws } from "./jws";
import { isRevokedByCrl, type ShcCrl } from "./shc-crl";
import { toShcJws } from "./shc-encoding";

const HEALTH_CARD_TYPE = "https://smarthealth.cards#health-card";

/** A trusted SMART Health Cards issuer; a bundle's issuer entry fits as is. */
export interface ShcIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  crls?: ShcCrl[];
  /** Defaults to ES256, the only algorithm the SHC spec allows. */
  algorithms?: string[];
}

export interface Vaccination {
  /** First coding of `vaccineCode` (e.g. CVX 207). */
  product: { system: string | null; code: string } | null;
  /** `occurrenceDateTime` as written by the issuer (a date or a date-time). */
  date: string | null;
  lotNumber?: string;
  performer?: string;
}

export interface ShcValid {
  valid: true;
  kind: "smart-health-card";
  issuer: string;
  kid: string;
  issuedAt: string;
  expiresAt: string | null;
  /** The inflated, verified JWS payload. */
  payload: Record<string, unknown>;
  vaccinations: Vaccination[];
}

export type ShcResult = ShcValid | Failure;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function vaccinationsOf(payload: Record<string, unknown>): Vaccination[] {
  const vc = payload.vc as { credentialSubject?: { fhirBundle?: { entry?: unknown } } };
  const entries = vc.credentialSubject?.fhirBundle?.entry;
  if (!Array.isArray(entries)) return [];
  const out: Vaccination[] = [];
  for (const entry of entries) {
    const r = isRecord(entry) && isRecord(entry.resource) ? entry.resource : null;
    // Doses recorded in error or not given are not evidence of vaccination.
    if (r?.resourceType !== "Immunization" || (r.status !== undefined && r.status !== "completed")) continue;
    const coding =
      isRecord(r.vaccineCode) && Array.isArray(r.vaccineCode.coding) ? r.vaccineCode.coding[0] : null;
    const code = isRecord(coding) ? str(coding.code) : undefined;
    const performer = Array.isArray(r.performer) && isRecord(r.performer[0]) ? r.performer[0].actor : null;
    const dose: Vaccination = {
      product: code && isRecord(coding) ? { system: str(coding.system) ?? null, code } : null,
      date: str(r.occurrenceDateTime) ?? null,
    };
    const lot = str(r.lotNumber);
    if (lot) dose.lotNumber = lot;
    const display = isRecord(performer) ? str(performer.display) : undefined;
    if (display) dose.performer = display;
    out.push(dose);
  }
  return out;
}

/**
 * Verifies a SMART Health Card given as a compact JWS, a `shc:/` QR string, a list of chunk QRs, or a
 * `.smart-health-card` file, against trusted issuers. Never throws.
 */
export async function verifySmartHealthCard(
  input: string | readonly string[],
  issuers: readonly ShcIssuer[],
  now: Date,
): Promise<ShcResult> {
  const jws = toShcJws(input);
  const parsed = jws ? parseCompact(jws) : null;
  if (!jws || !parsed) return { valid: false, reason: "malformed" };
  if (parsed.header.zip !== "DEF" || typeof parsed.header.kid !== "string")
    return { valid: false, reason: "malformed" };
  // The issuer (hence the key set) is inside the compressed payload, so it is read before verifying;
  // nothing read here is trusted until the signature checks out against that issuer's keys.
  const inflated = await inflateRaw(parsed.payload);
  const payload = inflated ? parseJsonObject(inflated) : null;
  if (!payload || typeof payload.iss !== "string") return { valid: false, reason: "malformed" };
  const trusted = issuers.find((i) => i.issuer === payload.iss);
  if (!trusted) return { valid: false, reason: "unknown_issuer" };
  const verified = await verifyJws(jws, trusted.jwks.keys, { algorithms: trusted.algorithms ?? ["ES256"] });
  if ("reason" in verified) return verified;

  const vc = payload.vc;
  if (typeof payload.nbf !== "number" || !isRecord(vc)) return { valid: false, reason: "malformed" };
  if (!Array.isArray(vc.type) || !vc.type.includes(HEALTH_CARD_TYPE))
    return { valid: false, reason: "malformed" };
  if (!isRecord(vc.credentialSubject) || !isRecord(vc.credentialSubject.fhirBundle))
    return { valid: false, reason: "malformed" };
  const times = checkTimes({ nbf: payload.nbf, exp: payload.exp }, now);
  if (times) return { valid: false, reason: times };
  const kid = parsed.header.kid;
  if (typeof vc.rid === "string" && isRevokedByCrl(trusted.crls ?? [], kid, vc.rid, payload.nbf))
    return { valid: false, reason: "revoked" };

  return {
    valid: true,
    kind: "smart-health-card",
    issuer: payload.iss,
    kid,
    issuedAt: isoFromNumericDate(payload.nbf),
    expiresAt: typeof payload.exp === "number" ? isoFromNumericDate(payload.exp) : null,
    payload,
    vaccinations: vaccinationsOf(payload),
  };
}
