import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { Bundle, BundleIssuer } from "../../../verifier";

export const NOW = new Date("2026-11-27T09:30:00Z");
export const nowSeconds = Math.floor(NOW.getTime() / 1000);

export interface TestIssuer {
  entry: BundleIssuer;
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

/** An issuer with a fresh ES256 key, as another region (or we) would run it. */
export async function makeIssuer(issuer: string, name: string, regionCode = "510000"): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `${name}-key-${crypto.randomUUID()}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return {
    entry: { issuer, name, regionCode, format: "hc+jwt", algorithms: ["ES256"], jwks: { keys: [publicJwk] } },
    privateKey,
    publicJwk,
    kid,
  };
}

export interface CodeClaims {
  iss?: string;
  sub?: string;
  color?: string;
  ver?: number;
  iat?: number;
  exp?: number;
  kind?: "live" | "paper";
  rid?: string;
}

export async function signCode(
  issuer: TestIssuer,
  claims: CodeClaims = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    iss: issuer.entry.issuer,
    sub: "p_7f3a",
    color: "green",
    ver: 3,
    iat: nowSeconds - 60,
    exp: nowSeconds + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", kid: issuer.kid, typ: "hc+jwt", ...header })
    .sign(issuer.privateKey);
}

export function makeBundle(issuers: TestIssuer[], overrides: Partial<Bundle> = {}): Bundle {
  return {
    iss: "https://healthpass.test",
    iat: nowSeconds - 3600,
    exp: nowSeconds + 20 * 3600,
    issuers: issuers.map((i) => i.entry),
    revocations: {},
    colors: {
      green: { zh: "绿码", en: "Green", entry: "pass" },
      yellow: { zh: "黄码", en: "Yellow", entry: "restricted" },
      red: { zh: "红码", en: "Red", entry: "deny" },
    },
    ...overrides,
  };
}

export async function signBundle(
  signer: TestIssuer,
  bundle: unknown,
  typ = "verifier-bundle+jwt",
): Promise<string> {
  return new SignJWT(bundle as Record<string, unknown>)
    .setProtectedHeader({ alg: "ES256", kid: signer.kid, typ })
    .sign(signer.privateKey);
}

const b64 = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Re-encodes one part of a compact JWS, keeping the original signature. */
export function withPart(token: string, index: 0 | 1, value: unknown): string {
  const parts = token.split(".");
  parts[index] = b64(value);
  return parts.join(".");
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split(".")[index]!;
  return JSON.parse(new TextDecoder().decode(base64url.decode(part)));
}
