import { OpenAPIHono } from "@hono/zod-openapi";
import type { Caller } from "./auth/caller";
import { validationHook } from "./http/validation";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by the auth middleware of the route (see workers/auth/middleware.ts). */
    caller: Caller;
  };
}

/** Every area's router is made here so that all share the validation hook and one OpenAPI registry. */
export function newApp() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export type App = ReturnType<typeof newApp>;
