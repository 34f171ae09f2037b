import { z } from "@hono/zod-openapi";
import { ColorSchema } from "./common";

export const VerifyBody = z
  .object({
    token: z.string().min(1).max(16_384).openapi({ description: "A code: compact JWS, or shc:/ numeric" }),
  })
  .openapi("VerifyRequest");

export const VERIFY_FAILURES = [
  "malformed",
  "bad_signature",
  "expired",
  "not_yet_valid",
  "unknown_issuer",
  "unknown_key",
  "unsupported_alg",
  "revoked",
  "unknown_person",
] as const;

const VerifiedCommon = {
  valid: z.literal(true),
  issuer: z.string(),
  issuerName: z.string(),
  issuedAt: z.string(),
  keysStale: z
    .boolean()
    .optional()
    .openapi({ description: "The issuer's JWKS could not be refreshed: verified with its last good keys" }),
};

/** A valid health code (ours or another trusted issuer's). */
export const VerifiedCodeSchema = z.object({
  ...VerifiedCommon,
  kind: z.enum(["live", "paper"]),
  color: ColorSchema,
  tokenColor: ColorSchema,
  current: z.boolean(),
  stateChecked: z
    .boolean()
    .openapi({ description: "false when the person's state is not visible (other issuers, signature-only)" }),
  expiresAt: z.string(),
});

export const RefusedCodeSchema = z.object({
  valid: z.literal(false),
  reason: z.enum(VERIFY_FAILURES),
  keysStale: z.boolean().optional(),
});

/**
 * The answer of POST /v1/verify. Our own codes: `color` is the person's colour now. Other issuers' codes:
 * we cannot see the person's state, so `color` is the token's, `current` is true and `stateChecked` false.
 */
export const VerifyResultSchema = z
  .union([
    VerifiedCodeSchema,
    z.object({
      ...VerifiedCommon,
      kind: z.literal("smart-health-card"),
      expiresAt: z.string().nullable(),
      vaccinations: z.array(z.object({}).passthrough()),
    }),
    RefusedCodeSchema,
  ])
  .openapi("VerifyResult");

export type VerifyResult = z.infer<typeof VerifyResultSchema>;
