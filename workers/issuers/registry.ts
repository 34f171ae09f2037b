import type { JWK } from "jose";
import type { TrustedIssuerRow } from "../../schema/d1/issuers";
import type { BundleIssuer, ShcCrl } from "../../verifier";
import { log } from "../lib/log";
import { fetchJwks } from "./fetch";
import { refreshDue } from "./refresh-policy";
import { listIssuerRows, updateIssuerStatement } from "./repo";

export interface TrustedIssuer {
  issuer: string;
  name: string;
  regionCode: string;
  format: BundleIssuer["format"];
  algorithms: string[];
  status: "active" | "suspended";
  jwksUri: string | null;
  keys: JWK[];
  crls: ShcCrl[];
  keysFetchedAt: number | null;
  lastRefreshAt: number | null;
  lastRefreshError: string | null;
  createdAt: string;
  updatedAt: string;
}

export function fromRow(row: TrustedIssuerRow): TrustedIssuer {
  const time = (v: string | null) => (v ? Date.parse(v) : null);
  return {
    issuer: row.issuer,
    name: row.name,
    regionCode: row.regionCode,
    format: row.format,
    algorithms: JSON.parse(row.algorithms) as string[],
    status: row.status,
    jwksUri: row.jwksUri,
    keys: row.jwks ? ((JSON.parse(row.jwks) as { keys: JWK[] }).keys ?? []) : [],
    crls: row.crls ? (JSON.parse(row.crls) as ShcCrl[]) : [],
    keysFetchedAt: time(row.keysFetchedAt),
    lastRefreshAt: time(row.lastRefreshAt),
    lastRefreshError: row.lastRefreshError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A failed refresh leaves the last good keys in use; verifiers are told so. */
export const keysStale = (i: TrustedIssuer) => i.jwksUri !== null && i.lastRefreshError !== null;

export function toBundleIssuer(i: TrustedIssuer): BundleIssuer {
  return {
    issuer: i.issuer,
    name: i.name,
    regionCode: i.regionCode,
    format: i.format,
    algorithms: i.algorithms,
    jwks: { keys: i.keys },
    ...(i.crls.length > 0 ? { crls: i.crls } : {}),
  };
}

// The trust list is read on every verification of another issuer's code, so it is cached per isolate.
// Changes made here invalidate it at once; other isolates follow within the TTL.
const TTL_MS = 60_000;
let cached: { at: number; value: Promise<Map<string, TrustedIssuer>> } | undefined;
const refreshing = new Map<string, Promise<TrustedIssuer>>();

export function trustList(env: Env, now = Date.now()): Promise<Map<string, TrustedIssuer>> {
  if (!cached || now - cached.at > TTL_MS) {
    const value = listIssuerRows(env).then((rows) => new Map(rows.map((r) => [r.issuer, fromRow(r)])));
    const entry = { at: now, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  return cached.value;
}

export function invalidateTrustList(): void {
  cached = undefined;
}

/**
 * Fetches the issuer's JWKS now and records the outcome in D1 (last good keys and when, or the error
 * while keeping the keys). Concurrent refreshes of one issuer in an isolate share one fetch.
 */
export function refreshIssuerKeys(env: Env, issuer: TrustedIssuer, now = Date.now()): Promise<TrustedIssuer> {
  const uri = issuer.jwksUri;
  if (!uri) return Promise.resolve(issuer);
  let pending = refreshing.get(issuer.issuer);
  if (!pending) {
    pending = (async () => {
      const result = await fetchJwks(env, uri, undefined, {
        smartHealthCards: issuer.format === "smart-health-card",
      });
      const at = new Date(now).toISOString();
      // A key refused (SMART Health Cards kid) is recorded like an error, beside the keys kept.
      const problem = result.ok ? (result.dropped ?? null) : result.error;
      const set = result.ok
        ? {
            jwks: JSON.stringify({ keys: result.keys }),
            keysFetchedAt: at,
            lastRefreshAt: at,
            lastRefreshError: problem,
          }
        : { lastRefreshAt: at, lastRefreshError: problem };
      await updateIssuerStatement(env, issuer.issuer, set);
      const updated: TrustedIssuer = {
        ...issuer,
        lastRefreshAt: now,
        lastRefreshError: problem,
        ...(result.ok ? { keys: result.keys, keysFetchedAt: now } : {}),
      };
      // Update the cached entry in place, so this isolate does not refetch before the cool-down.
      const list = await trustList(env, now);
      if (list.get(issuer.issuer)) list.set(issuer.issuer, updated);
      if (problem)
        log("warn", result.ok ? "issuer JWKS key refused" : "issuer JWKS refresh failed", {
          issuer: issuer.issuer,
          error: problem,
        });
      return updated;
    })().finally(() => refreshing.delete(issuer.issuer));
    refreshing.set(issuer.issuer, pending);
  }
  return pending;
}

/**
 * An active trusted issuer with keys fit to verify `kid`: refreshed first when due (never fetched,
 * older than 10 minutes, or an unknown kid) and not in the cool-down. Undefined: not trusted.
 */
export async function activeIssuer(
  env: Env,
  iss: string,
  kid: unknown,
  now = Date.now(),
): Promise<TrustedIssuer | undefined> {
  const issuer = (await trustList(env, now)).get(iss);
  if (issuer?.status !== "active") return undefined;
  const unknownKid = typeof kid === "string" && !issuer.keys.some((k) => k.kid === kid);
  if (issuer.jwksUri && refreshDue(issuer, now, { unknownKid })) return refreshIssuerKeys(env, issuer, now);
  return issuer;
}

/** Every active issuer, with remote keys refreshed when due (bundle building, SMART Health Cards). */
export async function activeIssuers(env: Env, now = Date.now()): Promise<TrustedIssuer[]> {
  const list = [...(await trustList(env, now)).values()].filter((i) => i.status === "active");
  return Promise.all(
    list.map((i) =>
      i.jwksUri && refreshDue(i, now, { unknownKid: false }) ? refreshIssuerKeys(env, i, now) : i,
    ),
  );
}
