import type { z } from "zod";
import type { ProblemSchema } from "../../schema/wire/common";
import type { ApiRoutes } from "../../workers/routes";

/** `/v1/venues/${id}/stats` → `["", "v1", "venues", string, "stats"]`: a path, one entry a segment. */
type Segments<P extends string> = P extends `${infer Head}/${infer Tail}` ? [Head, ...Segments<Tail>] : [P];

/**
 * Does a test's path match a route template segment by segment? A `:param` takes any one segment, so
 * `/v1/venues/${id}/device-keys` finds `/v1/venues/:venueId/device-keys` and not `/v1/venues/:venueId`.
 */
type Matches<Path extends string[], Route extends string[]> = Path extends [
  infer A extends string,
  ...infer PathRest extends string[],
]
  ? Route extends [infer B extends string, ...infer RouteRest extends string[]]
    ? B extends `:${string}`
      ? Matches<PathRest, RouteRest>
      : A extends B
        ? Matches<PathRest, RouteRest>
        : false
    : false
  : Route extends []
    ? true
    : false;

type WithoutQuery<P extends string> = P extends `${infer Base}?${string}` ? Base : P;

/** The route templates (`/v1/persons/:personId/code`) a test's path can reach. */
type RouteOf<P extends string> = {
  [K in keyof ApiRoutes & string]: Matches<Segments<WithoutQuery<P>>, Segments<K>> extends true ? K : never;
}[keyof ApiRoutes & string];

/** Every answer (status, body) the zod schemas give the route at this method and path. */
export type Endpoints<M extends string, P extends string> =
  RouteOf<P> extends infer K
    ? K extends keyof ApiRoutes
      ? `$${Lowercase<M>}` extends keyof ApiRoutes[K]
        ? ApiRoutes[K][`$${Lowercase<M>}`]
        : never
      : never
    : never;

/**
 * What `call()` hands back for one answer: JSON as its schema says; no content (204) as `null`; a body
 * the schema types only as a `Response` (an SVG poster, an HTML page) as the text `call()` keeps.
 */
type Body<E> = E extends { status: infer S; output: infer O }
  ? S extends 204
    ? null
    : [O] extends [Response]
      ? string
      : O
  : never;

type TypedSuccess<E> = E extends { status: infer S }
  ? [S] extends [200 | 201 | 202 | 204]
    ? Body<E>
    : never
  : never;
/**
 * The success answers. A content type other than JSON (an SVG, an HTML page, a negotiated JWT) is a
 * plain `Response` of any status in Hono's types: a route with nothing else answers with text; beside a
 * JSON answer it is left out (a test that negotiates it says `call<string>`).
 */
type Success<E> = [TypedSuccess<E>] extends [never]
  ? [Extract<E, { output: Response }>] extends [never]
    ? never
    : string
  : TypedSuccess<E>;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
type ValueIn<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;
/**
 * A route with several success shapes (a dry run or the real thing) reads as one object with every
 * field of each: a test asserts the status first, and names the fields of the shape it expects.
 */
type Merged<U> = [U] extends [never]
  ? Record<never, never>
  : [U] extends [object]
    ? { [K in KeysOfUnion<U>]: ValueIn<U, K> }
    : U;

/** A problem+json body (RFC 9457), as every route's error answers give it. */
export type Problem = z.output<typeof ProblemSchema>;

/** The problem fields a success body does not already have (a body's own `status` wins). */
type WithProblem<B> = B extends object ? B & Partial<Omit<Problem, keyof B>> : B;

/**
 * The body of a call, typed from the route's zod schemas: its success bodies, with the problem fields
 * beside them (optional) for the error branches. `expectStatus()` narrows it to one status's schema.
 * A path no OpenAPI route matches (/openapi.json, /v1/nope, a path held in a plain `string`) is
 * `unknown`: give the type (`call<T>`) there.
 */
export type BodyOf<M extends string, P extends string> = [RouteOf<P>] extends [never]
  ? unknown
  : WithProblem<Merged<Success<Endpoints<M, P>>>>;

/**
 * The body at one status: that status's schema if the route declares it; a problem for an error
 * status it does not declare (a 413 or 429 from a guard in front of it); otherwise `Else`, the body as
 * `call()` typed it.
 */
export type BodyAt<E, S extends number, Else> = [Extract<E, { status: S }>] extends [never]
  ? `${S}` extends `4${string}` | `5${string}`
    ? Problem
    : Else
  : Body<Extract<E, { status: S }>>;
