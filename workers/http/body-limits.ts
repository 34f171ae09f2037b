import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { limitBody } from "./body-limit";

const KB = 1024;
/** Bulk intake paths take large bodies; everything else is a small JSON document. */
const LIMITS: [prefix: string, bytes: number][] = [
  ["/v1/lab/results", 2048 * KB],
  ["/v1/vaccination/records", 2048 * KB],
  ["/v1/authority/imports", 16 * 1024 * KB],
  ["/v1/authority/rule-sets", 256 * KB],
  ["/v1/authority/issuers", 256 * KB],
];
const DEFAULT_LIMIT = 64 * KB;

const limiters = new Map<number, ReturnType<typeof limitBody>>();
const limiter = (bytes: number) => {
  let l = limiters.get(bytes);
  if (!l) {
    l = limitBody(bytes);
    limiters.set(bytes, l);
  }
  return l;
};

export const bodyLimits = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  const path = new URL(c.req.url).pathname;
  const bytes = LIMITS.find(([p]) => path.startsWith(p))?.[1] ?? DEFAULT_LIMIT;
  return limiter(bytes)(c, next);
});
