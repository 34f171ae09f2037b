import { createRoute } from "@hono/zod-openapi";
import { BundleResponseSchema } from "../../schema/wire/codes";
import { newApp } from "../app";
import { buildBundle, signBundle } from "./build";

const route = createRoute({
  method: "get",
  path: "/v1/verifier-bundle",
  tags: ["Public"],
  summary: "The signed offline verification bundle (keys, revocations, colours), valid BUNDLE_TTL_HOURS",
  description:
    "JSON `{bundle, issuedAt, expiresAt}` by default; with `Accept: application/jwt` the compact JWS itself. Open it with the verifier library's `openBundle` against our JWKS (`/.well-known/jwks.json`).",
  responses: {
    200: {
      description: "The bundle",
      content: {
        "application/json": { schema: BundleResponseSchema },
        "application/jwt": { schema: { type: "string" } },
      },
    },
  },
});

export const bundleRoutes = newApp().openapi(route, async (c) => {
  const now = Date.now();
  const bundle = await buildBundle(c.env, now);
  const jws = await signBundle(c.env, bundle, now);
  c.header("access-control-allow-origin", "*");
  // A few minutes at the edge: revocations reach scanners within that plus their own refresh interval.
  c.header("cache-control", "public, max-age=300");
  c.header("vary", "accept");
  if ((c.req.header("accept") ?? "").includes("application/jwt")) {
    return c.body(jws, 200, { "content-type": "application/jwt" });
  }
  return c.json(
    {
      bundle: jws,
      issuedAt: new Date(bundle.iat * 1000).toISOString(),
      expiresAt: new Date(bundle.exp * 1000).toISOString(),
    },
    200,
  );
});
