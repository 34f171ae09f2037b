import { calculateJwkThumbprint, type JWK } from "jose";
import { FETCH_TIMEOUT_MS } from "./refresh-policy";
import { kidRefusalMessage, shcKidRefusals } from "./shc-kid";
import { jwkProblem } from "./validate";

/** A remote JWKS is a few keys; anything much larger is not one and is not read into memory. */
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * The seam for outbound JWKS fetches: tests bind ISSUER_FETCHER (a Node function in vitest.config.ts
 * that plays the remote issuers); production has no such binding and uses plain fetch.
 */
export function issuerFetch(env: Env): (url: string, init: RequestInit) => Promise<Response> {
  const binding = env.ISSUER_FETCHER;
  return binding ? (url, init) => binding.fetch(url, init) : (url, init) => fetch(url, init);
}

/** Public P-256 keys with a kid (the RFC 7638 thumbprint when the issuer gave none). */
export async function normaliseKeys(keys: readonly Record<string, unknown>[]): Promise<JWK[]> {
  const out: JWK[] = [];
  for (const jwk of keys) {
    if (jwkProblem(jwk)) continue;
    const pub = { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string };
    const kid = typeof jwk.kid === "string" ? jwk.kid : await calculateJwkThumbprint(pub, "sha256");
    out.push({ ...pub, kid, alg: "ES256", use: "sig" });
  }
  return out;
}

export type JwksFetch =
  | {
      ok: true;
      keys: JWK[] /** Keys dropped, each with why (SMART Health Cards kid checks). */;
      dropped?: string;
    }
  | { ok: false; error: string };

/**
 * Fetches and cleans a remote JWKS; never throws, every failure is an error text for the listing.
 * For a SMART Health Cards issuer, a key whose kid is not its RFC 7638 thumbprint is dropped (the
 * others stay usable) and the refusal is returned in `dropped` for the caller to record.
 */
export async function fetchJwks(
  env: Env,
  uri: string,
  timeoutMs = FETCH_TIMEOUT_MS,
  opts: { smartHealthCards?: boolean } = {},
): Promise<JwksFetch> {
  try {
    const res = await issuerFetch(env)(uri, {
      headers: { accept: "application/jwk-set+json, application/json" },
      signal: AbortSignal.timeout(timeoutMs),
      // Not followed: a redirect could lead to a host the jwksUri check would have refused.
      redirect: "manual",
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, error: `HTTP ${res.status}` };
    }
    const text = await res.text();
    if (text.length > MAX_JWKS_BYTES) return { ok: false, error: "JWKS larger than 64 KiB" };
    const parsed = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(parsed.keys)) return { ok: false, error: "not a JWKS (no keys array)" };
    const objects = parsed.keys.filter(
      (k): k is Record<string, unknown> => typeof k === "object" && k !== null,
    );
    const refused = opts.smartHealthCards ? await shcKidRefusals(objects) : [];
    const bad = new Set(refused.map((r) => r.index));
    const keys = await normaliseKeys(objects.filter((_, i) => !bad.has(i)));
    const dropped = refused.length
      ? `refused ${refused.map((r) => `keys.${r.index}.kid "${r.kid.slice(0, 64)}": ${kidRefusalMessage(r)}`).join("; ")}`
      : undefined;
    if (keys.length === 0) return { ok: false, error: dropped ?? "JWKS has no usable EC P-256 keys" };
    return { ok: true, keys, ...(dropped ? { dropped } : {}) };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { ok: false, error: `timeout after ${timeoutMs} ms` };
    if (error instanceof SyntaxError) return { ok: false, error: "JWKS is not JSON" };
    return { ok: false, error: `fetch failed: ${String((error as Error).message ?? error).slice(0, 200)}` };
  }
}
