import type { FieldError } from "../http/problems";
import { checkPushEndpoint } from "../push/endpoint-policy";

/** The only algorithm the verifier library implements today. */
export const ACCEPTED_ALGORITHMS = ["ES256"] as const;

export interface IssuerInput {
  issuer: string;
  jwksUri?: string;
  jwks?: { keys: Record<string, unknown>[] };
  algorithms: string[];
}

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

/** Why an inline JWK is refused, or null: only public EC P-256 signing keys for ES256. */
export function jwkProblem(jwk: Record<string, unknown>): string | null {
  if ("d" in jwk) return "must be a public key (no `d`): never send a private key";
  if (jwk.kty !== "EC" || jwk.crv !== "P-256") return "must be an EC P-256 key";
  if (typeof jwk.x !== "string" || !B64URL_32.test(jwk.x)) return "x must be 32 bytes base64url";
  if (typeof jwk.y !== "string" || !B64URL_32.test(jwk.y)) return "y must be 32 bytes base64url";
  if (jwk.alg !== undefined && jwk.alg !== "ES256") return "alg must be ES256";
  if (jwk.use !== undefined && jwk.use !== "sig") return "use must be sig";
  if (jwk.kid !== undefined && (typeof jwk.kid !== "string" || jwk.kid.length === 0 || jwk.kid.length > 128))
    return "kid must be a non-empty string";
  return null;
}

/**
 * Checks what zod cannot express: one key source, https and no private hosts for a fetched JWKS (the
 * Worker would call it: an SSRF vector otherwise; development mode also allows http loopback), ES256
 * only, public keys only, and not our own issuer (our keys come from our own key store).
 */
export function issuerInputProblems(
  input: IssuerInput,
  opts: { devMode: boolean; ourIssuer: string },
): FieldError[] {
  const errors: FieldError[] = [];
  let issuerUrl: URL | undefined;
  try {
    issuerUrl = new URL(input.issuer);
  } catch {
    errors.push({ path: "issuer", message: "must be a URL" });
  }
  if (issuerUrl && issuerUrl.protocol !== "https:" && !(opts.devMode && issuerUrl.protocol === "http:"))
    errors.push({ path: "issuer", message: "must be an https URL" });
  if (input.issuer.replace(/\/$/, "") === opts.ourIssuer)
    errors.push({ path: "issuer", message: "is our own issuer; its keys are managed by key rotation" });

  if ((input.jwksUri === undefined) === (input.jwks === undefined))
    errors.push({ path: "jwksUri", message: "give exactly one of jwksUri or jwks" });
  if (input.jwksUri !== undefined) {
    const check = checkPushEndpoint(input.jwksUri, { devMode: opts.devMode });
    if (!check.ok) errors.push({ path: "jwksUri", message: check.message.replace(/^endpoint/, "jwksUri") });
  }
  input.jwks?.keys.forEach((jwk, i) => {
    const problem = jwkProblem(jwk);
    if (problem) errors.push({ path: `jwks.keys.${i}`, message: problem });
  });
  input.algorithms.forEach((alg, i) => {
    if (!ACCEPTED_ALGORITHMS.includes(alg as "ES256"))
      errors.push({
        path: `algorithms.${i}`,
        message: `only ${ACCEPTED_ALGORITHMS.join(", ")} is accepted today`,
      });
  });
  return errors;
}
