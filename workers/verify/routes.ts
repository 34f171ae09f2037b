import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../../schema/wire/common";
import { VerifyBody, VerifyResultSchema } from "../../schema/wire/verify";
import { newApp } from "../app";
import { verifyOwnCode } from "./verify";

const route = createRoute({
  method: "post",
  path: "/v1/verify",
  tags: ["Public"],
  summary: "Verify a code: signature, issuer, expiry and the person's colour now",
  request: { body: { required: true, content: { "application/json": { schema: VerifyBody } } } },
  responses: {
    200: { description: "The verdict; invalid codes are `valid: false` with a reason", content: { "application/json": { schema: VerifyResultSchema } } },
    400: errorResponses[400],
  },
});

export const verifyRoutes = newApp().openapi(route, async (c) => {
  const { token } = c.req.valid("json");
  const { personId: _omit, ...result } = await verifyOwnCode(c.env, token.trim());
  c.header("cache-control", "no-store");
  return c.json(result, 200);
});
