import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { z } from "zod";
import type { ExplainedEntry, ExplainedReason } from "../../durable/explain";
import type { Notice } from "../../durable/person-types";
import type { StatusSchema } from "../../schema/wire/persons";
import type { BodyAt, BodyOf, Endpoints } from "./api-types";

export type { Problem } from "./api-types";

export const ORIGIN = "https://healthpass.test";

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** A raw body (e.g. malformed JSON); sent as-is with a JSON content type. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Call with a different env (e.g. development mode off). */
  env?: Env;
}

/** A response body as its wire schema says: `call<Wire<typeof PersonSummarySchema>>(...)`. */
export type Wire<S extends z.ZodType> = z.output<S>;

/**
 * A person's status with its explanations typed: the wire schema passes a reason's and a history
 * entry's explanation fields (`events`, `exposures`, `facts`, `until`…) through untyped, so a test that
 * reads them asks for this type (`call<ExplainedStatus>(…)`), the person object's own.
 */
export type ExplainedStatus = Omit<Wire<typeof StatusSchema>, "reasons" | "history"> & {
  reasons: ExplainedReason[];
  history: (({ type: "color_change" } & ExplainedEntry) | ({ type: "notice" } & Notice))[];
};

/**
 * The parts of /openapi.json the tests read. The document is generated from the routes, not described
 * by a zod schema, so a test that reads it asks for this type (`call<OpenApiDocument>(…)`).
 */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  components: { securitySchemes: Record<string, unknown> };
}

declare const endpoints: unique symbol;

export interface ApiResponse<T = unknown, E = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** Type only, never set: the route's answers by status, so that `expectStatus()` can narrow the body. */
  readonly [endpoints]?: E;
}

declare const inferred: unique symbol;
/** No type given: the body's type comes from the route's wire schemas (see api-types.ts). */
type Inferred = typeof inferred;

/**
 * Calls the Worker as a client would, through its fetch handler, inside workerd. The body is typed
 * from the route's zod schemas by method and path (`/v1/persons/${id}/code` finds `/v1/persons/:id/code`).
 */
export async function call<T = Inferred, M extends string = string, P extends string = string>(
  method: M,
  path: P,
  opts: CallOptions = {},
): Promise<ApiResponse<[T] extends [Inferred] ? BodyOf<M, P> : T, Endpoints<M, P>>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const req = new Request(ORIGIN + path, { method, headers, body });
  const res = opts.env
    ? await (await import("../../workers/index")).default.fetch(
        req as Request<unknown, IncomingRequestCfProperties>,
        opts.env,
        createExecutionContext(),
      )
    : await exports.default.fetch(req);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed as never };
}

/**
 * Asserts the status and hands back the response with its body narrowed to that status's schema:
 * `expectStatus(res, 201).body` is the 201 body alone; `expectStatus(res, 400).body` is a problem.
 */
export function expectStatus<R extends ApiResponse<unknown, unknown>, S extends number>(
  res: R,
  status: S,
): ApiResponse<BodyAt<NonNullable<R[typeof endpoints]>, S, R["body"]>, R[typeof endpoints]> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res as never;
}

/** The first item of a list the test expects to be non-empty; fails with a clear message if it is empty. */
export function first<T>(items: readonly T[], what = "list"): T {
  const item = items[0];
  if (item === undefined) throw new Error(`expected at least one item in the ${what}, got none`);
  return item;
}

/** A value the test expects to be there (`find()`'s result, a nullable field); fails clearly if it is not. */
export function present<T>(value: T | null | undefined, what = "value"): T {
  if (value === null || value === undefined) throw new Error(`expected the ${what}, got ${value}`);
  return value;
}

/** The last item of a list the test expects to be non-empty; fails with a clear message if it is empty. */
export function last<T>(items: readonly T[], what = "list"): T {
  return first(items.slice(-1), what);
}

/** An ID token from the development provider, optionally asserting a verified identity. */
export async function idToken(
  sub: string,
  identity?: { idType: string; idNumber: string; nationality?: string },
): Promise<string> {
  const res = await call<{ idToken: string }>("POST", "/dev/id-token", { body: { sub, ...identity } });
  if (res.status !== 200) throw new Error(`dev id-token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.idToken;
}

export async function authorityToken(): Promise<string> {
  const seed = await call<{ authoritySubject: string }>("GET", "/dev/seed");
  return idToken(seed.body.authoritySubject);
}

export async function labKey(): Promise<string> {
  return (await call<{ labKey: string }>("GET", "/dev/seed")).body.labKey;
}

export { env };
