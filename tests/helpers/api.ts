import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { z } from "zod";
import type { BodyOf } from "./api-types";

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

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
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
): Promise<ApiResponse<[T] extends [Inferred] ? BodyOf<M, P> : T>> {
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
