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

export const VerifyResultSchema = z
  .union([
    z.object({
      valid: z.literal(true),
      color: ColorSchema,
      tokenColor: ColorSchema,
      current: z.boolean(),
      issuer: z.string(),
      issuedAt: z.string(),
      expiresAt: z.string(),
      kind: z.enum(["live", "paper", "smart-health-card"]).optional(),
      stateChecked: z
        .boolean()
        .optional()
        .openapi({ description: "false for signature-only verification: `color` is then the token's" }),
    }),
    z.object({ valid: z.literal(false), reason: z.enum(VERIFY_FAILURES) }),
  ])
  .openapi("VerifyResult");

export type VerifyResult = z.infer<typeof VerifyResultSchema>;
