import type { z } from "zod";
import type { ProblemSchema } from "../../schema/wire/common";
import type { ApiRoutes } from "../../workers/routes";

/** `/v1/persons/:id/code` → `/v1/persons/${string}/code`: what a test's template path infers to. */
type Pattern<K extends string> = K extends `${infer Head}/:${string}/${infer Tail}`
  ? `${Pattern<Head>}/${string}/${Pattern<Tail>}`
  : K extends `${infer Head}/:${string}`
    ? `${Pattern<Head>}/${string}`
    : K;

type WithoutQuery<P extends string> = P extends `${infer Base}?${string}` ? Base : P;

type RouteOf<P extends string> = {
  [K in keyof ApiRoutes & string]: WithoutQuery<P> extends Pattern<K> ? K : never;
}[keyof ApiRoutes & string];

type Endpoints<M extends string, P extends string> = RouteOf<P> extends infer K extends keyof ApiRoutes
  ? ApiRoutes[K] extends infer R
    ? R[`$${Lowercase<M>}` & keyof R]
    : never
  : never;

type Success<E> = E extends { status: infer S; output: infer O }
  ? S extends 200 | 201 | 202 | 204
    ? Exclude<O, Response>
    : never
  : never;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
type ValueIn<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;
/**
 * A route with several success shapes (a dry run or the real thing) reads as one object with every
 * field of each: a test asserts the status first, and names the fields of the shape it expects.
 */
type Merged<U> = [U] extends [never] ? {} : { [K in KeysOfUnion<U>]: ValueIn<U, K> };

/** Problem+json fields, there for the error branches of a test (`res.body.detail`). */
type ProblemFields = Omit<z.output<typeof ProblemSchema>, "errors"> & {
  errors: NonNullable<z.output<typeof ProblemSchema>["errors"]>;
};

/**
 * The body of a call, typed from the route's zod schemas: its success bodies, with the problem fields
 * beside them for the error branches. A path no route matches (the pages, /dev) stays `any`.
 */
export type BodyOf<M extends string, P extends string> = [RouteOf<P>] extends [never]
  ? any
  : WithProblem<Merged<Success<Endpoints<M, P>>>>;

/** The problem fields a success body does not already have (a body's own `status` wins). */
type WithProblem<B> = B & Partial<Omit<ProblemFields, keyof B>>;
