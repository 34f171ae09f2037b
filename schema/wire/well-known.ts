import { z } from "@hono/zod-openapi";

export const HealthSchema = z.object({ ok: z.literal(true) }).openapi("Health");

/** A public JWK (RFC 7517) of one of our code-signing keys. */
export const PublicJwkSchema = z
  .looseObject({
    kty: z.string().openapi({ example: "EC" }),
    kid: z.string(),
    alg: z.string().openapi({ example: "ES256" }),
    use: z.literal("sig"),
    crv: z.string().optional().openapi({ example: "P-256" }),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .openapi("PublicJwk");

export const JwksSchema = z.object({ keys: z.array(PublicJwkSchema) }).openapi("Jwks");
