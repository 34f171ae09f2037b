import type { Hook, z } from "@hono/zod-openapi";
import { type FieldError, invalid } from "./problems";

/** zod issues → the contract's `errors[]`, one per bad field, naming it by its dotted path. */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

/** Where a request failed validation: the body's field path, or the query/path parameter name. */
const TARGET_PREFIX: Record<string, string> = { json: "", query: "", param: "", header: "", form: "" };

/** The default hook of every OpenAPI route: a failed zod check becomes a 400 problem naming every field. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route's schema
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) {
    throw invalid(fieldErrors(result.error, TARGET_PREFIX[result.target] ?? ""));
  }
};
