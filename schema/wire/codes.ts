import { z } from "@hono/zod-openapi";
import { ColorSchema, IsoTimeSchema } from "./common";

export const PaperCodeBody = z
  .object({
    days: z.number().int().min(1).max(366).optional().openapi({
      description: "Validity in days; at most PAPER_CODE_TTL_DAYS (default 7), which is also the default",
    }),
  })
  .openapi("CreatePaperCode");

export const PaperCodeParams = z.object({
  personId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "personId", in: "path" } }),
  codeId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "codeId", in: "path" } }),
});

export const PaperCodeSchema = z
  .object({
    codeId: z.string(),
    token: z
      .string()
      .openapi({ description: "Compact JWS (ES256, typ hc+jwt) with kind paper and a per-code rid" }),
    kind: z.literal("paper"),
    color: ColorSchema,
    version: z.number().int(),
    issuedAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema,
    maskedName: z.string(),
    qrSvg: z.string(),
    pageUrl: z.string().openapi({ description: "The printable page (same credential)" }),
  })
  .openapi("PaperCode");

export const PaperCodeListSchema = z
  .object({
    paperCodes: z.array(
      z.object({
        codeId: z.string(),
        color: ColorSchema,
        issuedAt: IsoTimeSchema,
        expiresAt: IsoTimeSchema,
        revokedAt: IsoTimeSchema.nullable(),
      }),
    ),
  })
  .openapi("PaperCodeList");

export const BundleResponseSchema = z
  .object({
    bundle: z
      .string()
      .openapi({ description: "Compact JWS, typ verifier-bundle+jwt, signed by our active key" }),
    issuedAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema,
  })
  .openapi("VerifierBundle");

export const IssuerMetadataSchema = z
  .object({
    issuer: z.string(),
    name: z.string(),
    region_code: z.string(),
    jwks_uri: z.string(),
    crl_uri_template: z.string(),
    verifier_bundle_uri: z.string(),
    code_format: z.literal("hc+jwt"),
    code_typ: z.literal("hc+jwt"),
    algorithms: z.array(z.string()),
    revocation_method: z.literal("rid"),
  })
  .openapi("IssuerMetadata");
