import { createRoute, type z } from "@hono/zod-openapi";
import { JwksSchema } from "../../schema/wire/well-known";
import { newApp } from "../app";
import { publicJwks } from "./keys";

const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["Public"],
  summary: "The public keys that sign our codes, for other regions and offline verifiers (cacheable)",
  responses: { 200: { description: "JWK Set", content: { "application/json": { schema: JwksSchema } } } },
});

/** Our public keys, for anyone (other regions, offline verifiers) to verify our codes. */
export const jwksRoutes = newApp().openapi(jwksRoute, async (c) => {
  c.header("access-control-allow-origin", "*");
  c.header("cache-control", "public, max-age=300, stale-while-revalidate=3600");
  // Exported EC public keys always carry kty (jose types it optional for JWKs in general).
  return c.json((await publicJwks(c.env)) as z.infer<typeof JwksSchema>, 200);
});
