import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { config } from "../config";
import { unavailable } from "./problems";

/**
 * Overload protection. When an isolate has too many requests in flight it sheds the least
 * important first: statistics and staff look-ups go before ordinary writes, and codes and
 * verification go last, so the things people show at a door keep working (Xi'an, 2021-22).
 */
export type Priority = "essential" | "normal" | "nonessential";

const ESSENTIAL: [method: string, pattern: RegExp][] = [
  ["GET", /^\/health$/],
  ["GET", /^\/\.well-known\//],
  ["POST", /^\/v1\/verify$/],
  ["GET", /^\/v1\/persons\/[^/]+\/code$/],
  ["POST", /^\/v1\/venue\/scan$/],
  ["POST", /^\/v1\/checkins$/],
  ["GET", /^\/v1\/verifier-bundle$/],
];

const NONESSENTIAL: [method: string, pattern: RegExp][] = [
  ["GET", /^\/v1\/authority\/stats/],
  ["GET", /^\/v1\/venues\/[^/]+\/stats$/],
  ["POST", /^\/v1\/venue\/lookup$/],
  ["GET", /^\/v1\/testing-sites/],
  ["GET", /^\/(docs|openapi\.json)$/],
];

export function priorityOf(method: string, path: string): Priority {
  const matches = (list: [string, RegExp][]) => list.some(([m, p]) => m === method && p.test(path));
  if (matches(ESSENTIAL)) return "essential";
  if (matches(NONESSENTIAL)) return "nonessential";
  return "normal";
}

export interface ShedLimits {
  /** In-flight requests at which non-essential work is refused. */
  nonessentialAt: number;
  /** In-flight requests at which everything is refused (essential last). */
  allAt: number;
}

/** Pure: whether a request of this priority is admitted with `inFlight` others running. */
export function admits(priority: Priority, inFlight: number, limits: ShedLimits): boolean {
  const normalAt = Math.floor((limits.nonessentialAt + limits.allAt) / 2);
  const limit =
    priority === "essential" ? limits.allAt : priority === "normal" ? normalAt : limits.nonessentialAt;
  return inFlight < limit;
}

function limitsOf(env: Env): ShedLimits {
  const cfg = config(env);
  return { nonessentialAt: cfg.shedNonessentialAt, allAt: cfg.shedAllAt };
}

let inFlight = 0;

export const loadShedding = createMiddleware<AppEnv>(async (c, next) => {
  const priority = priorityOf(c.req.method, new URL(c.req.url).pathname);
  if (!admits(priority, inFlight, limitsOf(c.env))) {
    throw unavailable(
      priority === "nonessential"
        ? "The service is busy; this request is deferred so that codes and verification keep working"
        : "The service is busy",
      priority === "essential" ? 1 : 5,
    );
  }
  inFlight++;
  try {
    await next();
  } finally {
    inFlight--;
  }
});
