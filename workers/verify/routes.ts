import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../schema/wire/common";
import { VerifyBody, VerifyResultSchema } from "../../schema/wire/verify";
import { newApp } from "../app";
import { verifyOwnCode } from "./verify";

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
  summary: "Verify a code: signature, issuer, expiry and the person's colour now",
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
  const { personId: _omit, ...result } = await verifyOwnCode(c.env, token.trim(), {
    signatureOnly: mode === "signature",
  });
  c.header("cache-control", "no-store");
  return c.json(result, 200);
});
