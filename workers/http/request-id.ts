import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";

/** Accepts a caller's X-Request-Id (bounded) or makes one; echoed back for support and logs. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.res.headers.set("x-request-id", id);
});
