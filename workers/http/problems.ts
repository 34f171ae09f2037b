import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One invalid field: `path` is dotted (`results.3.sampleId`), as the contract's `errors[]`. */
export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TYPE_BASE = "https://healthpass.dev/problems/";

/**
 * The single error path: every failure that reaches a client is thrown as a ProblemError and
 * rendered as RFC 9457 problem+json by the app's error handler.
 */
export class ProblemError extends HTTPException {
  readonly problem: Problem;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    slug: string,
    title: string,
    detail: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(status, { message: detail });
    const { headers = {}, ...extensions } = extra;
    this.problem = { type: TYPE_BASE + slug, title, status, detail, ...extensions };
    this.headers = headers;
  }
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", ...headers },
  });
}

export const invalid = (errors: FieldError[], detail?: string) =>
  new ProblemError(
    400,
    "validation",
    "Invalid request",
    detail ?? `Invalid ${errors.map((e) => e.path || "body").join(", ")}`,
    { errors },
  );
export const unauthorized = (detail = "A valid bearer credential is required") =>
  new ProblemError(401, "unauthorized", "Unauthorized", detail, {
    headers: { "www-authenticate": 'Bearer realm="healthpass"' },
  });
export const forbidden = (detail: string) => new ProblemError(403, "forbidden", "Forbidden", detail);
export const notFound = (detail: string) => new ProblemError(404, "not-found", "Not found", detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new ProblemError(409, "conflict", "Conflict", detail, extra);
export const tooMany = (detail: string, retryAfterSeconds: number) =>
  new ProblemError(429, "rate-limited", "Too many requests", detail, {
    retryAfter: retryAfterSeconds,
    headers: { "retry-after": String(retryAfterSeconds) },
  });
export const unavailable = (detail: string, retryAfterSeconds: number) =>
  new ProblemError(503, "unavailable", "Service unavailable", detail, {
    headers: { "retry-after": String(retryAfterSeconds) },
  });
