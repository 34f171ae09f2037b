import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../schema/wire/common";
import { VerifyBody, VerifyResultSchema } from "../../schema/wire/verify";
import { newApp } from "../app";
import { verifyAnyCode } from "./any";

const VerifyQuery = z.object({
  mode: z.enum(["full", "signature"]).optional().openapi({
    description:
      "`signature`: signature, issuer and expiry only, without the person's current colour (what an offline verifier can do); `color` is then the token's",
  }),
});

const route = createRoute({
  method: "post",
  path: "/v1/verify",
  tags: ["Public"],
  summary:
    "Verify a code of any trusted issuer: signature, issuer, revocation, expiry, and our person's colour now",
  description:
    "Our own codes: `color` is the person's colour now and `current` says whether the token's colour is still it. Codes of other trusted issuers: their person's state is not visible to us, so `color` is the token's, `current` is true and `stateChecked` false. SMART Health Cards (compact JWS, `shc:/` numeric or file JSON) come back with `kind: \"smart-health-card\"` and their vaccinations. A revoked code is `reason: \"revoked\"` even once expired (revocation is checked first). `keysStale: true` means the issuer's JWKS could not be refreshed and its last good keys were used.",
  request: {
    query: VerifyQuery,
    body: { required: true, content: { "application/json": { schema: VerifyBody } } },
  },
  responses: {
    200: {
      description: "The verdict; invalid codes are `valid: false` with a reason",
      content: { "application/json": { schema: VerifyResultSchema } },
    },
    400: errorResponses[400],
  },
});

export const verifyRoutes = newApp().openapi(route, async (c) => {
  const { token } = c.req.valid("json");
  const { mode } = c.req.valid("query");
  const result = await verifyAnyCode(c.env, token, { signatureOnly: mode === "signature" });
  c.header("cache-control", "no-store");
  return c.json(result, 200);
});
