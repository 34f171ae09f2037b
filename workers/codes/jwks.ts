import { newApp } from "../app";
import { publicJwks } from "./keys";

/** Our public keys, for anyone (other regions, offline verifiers) to verify our codes. */
export const jwksRoutes = newApp().get("/.well-known/jwks.json", async (c) => {
  c.header("access-control-allow-origin", "*");
  c.header("cache-control", "public, max-age=300, stale-while-revalidate=3600");
  return c.json(await publicJwks(c.env));
});
