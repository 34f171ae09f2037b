import { z } from "@hono/zod-openapi";
import { ISSUER_FORMATS, ISSUER_STATUSES } from "../d1/issuers";
import { IsoTimeSchema } from "./common";

export const CrlSchema = z
  .object({
    kid: z.string().min(1).max(128),
    method: z.literal("rid"),
    ctr: z.number().int().nonnegative(),
    rids: z.array(z.string().min(1).max(128)).max(100_000),
  })
  .openapi("Crl", { description: "A SMART Health Cards style revocation list for one key" });

const JwkInput = z.record(z.string(), z.unknown()).openapi({ description: "A public EC P-256 JWK (no `d`)" });

export const CreateIssuerBody = z
  .object({
    issuer: z.string().trim().url().max(512).openapi({ description: "The `iss` its codes carry" }),
    name: z.string().trim().min(1).max(128),
    regionCode: z.string().trim().min(2).max(16).openapi({ example: "CN-CQ" }),
    jwksUri: z.string().trim().max(1024).optional(),
    jwks: z.object({ keys: z.array(JwkInput).min(1).max(32) }).optional(),
    crls: z.array(CrlSchema).max(32).optional(),
    algorithms: z
      .array(z.string())
      .min(1)
      .max(4)
      .openapi({ example: ["ES256"] }),
    format: z.enum(ISSUER_FORMATS).optional().openapi({ description: "Default hc+jwt" }),
    status: z.enum(ISSUER_STATUSES).optional().openapi({ description: "Default active" }),
  })
  .openapi("CreateIssuer");

export const UpdateIssuerBody = z
  .object({
    status: z.enum(ISSUER_STATUSES).optional(),
    crls: z.array(CrlSchema).max(32).optional(),
  })
  .openapi("UpdateIssuer");

export const IssuerParam = z.object({
  issuer: z
    .string()
    .min(1)
    .max(512)
    .openapi({ param: { name: "issuer", in: "path" }, description: "The issuer URL, URL-encoded" }),
});

export const IssuerSchema = z
  .object({
    issuer: z.string(),
    name: z.string(),
    regionCode: z.string(),
    format: z.enum(ISSUER_FORMATS),
    algorithms: z.array(z.string()),
    status: z.enum(ISSUER_STATUSES),
    jwksUri: z.string().nullable(),
    kids: z.array(z.string()).openapi({ description: "Key ids currently known" }),
    crlCount: z.number().int(),
    keysFetchedAt: IsoTimeSchema.nullable(),
    keysStale: z
      .boolean()
      .openapi({ description: "The last refresh of jwksUri failed: the last good keys are in use" }),
    lastRefreshError: z.string().nullable(),
    createdAt: IsoTimeSchema,
    updatedAt: IsoTimeSchema,
  })
  .openapi("TrustedIssuer");

export const IssuerListSchema = z.object({ issuers: z.array(IssuerSchema) }).openapi("TrustedIssuerList");

export const CreateSigningKeyBody = z
  .object({
    activateAt: IsoTimeSchema.openapi({
      description: "When the new key starts signing (not in the past); it is published at once",
    }),
  })
  .openapi("CreateSigningKey");

export const SigningKeySchema = z
  .object({
    kid: z.string(),
    source: z.enum(["secret", "generated"]),
    status: z.enum(["pending", "active", "previous", "retired"]),
    activeFrom: IsoTimeSchema,
    stoppedAt: IsoTimeSchema.nullable(),
    retiresAfter: IsoTimeSchema.nullable().openapi({
      description: "From then on the key may leave the JWKS (it stopped signing + the longest code lifetime)",
    }),
    retiredAt: IsoTimeSchema.nullable(),
  })
  .openapi("SigningKey");

export const SigningKeyListSchema = z.object({ keys: z.array(SigningKeySchema) }).openapi("SigningKeyList");

export const CreateRevocationBody = z
  .object({
    personId: z.string().min(1).max(64),
    reason: z.string().trim().min(1).max(500),
    scope: z.enum(["paper", "all"]).openapi({
      description:
        "`paper`: printed codes (one with codeId, else all unexpired); `all`: every code issued before now",
    }),
    codeId: z.string().min(1).max(64).optional(),
  })
  .openapi("CreateRevocation");

export const RevocationCreatedSchema = z
  .object({
    revocationIds: z.array(z.number().int()),
    scope: z.enum(["paper", "all"]),
    paperCodesRevoked: z.number().int(),
    before: IsoTimeSchema.nullable().openapi({
      description: "scope all: codes issued before this are revoked",
    }),
  })
  .openapi("RevocationCreated");
