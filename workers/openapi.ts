import type { App } from "./app";

/** The document's header; the paths come from the routes' zod schemas. */
export const openApiConfig = (origin: string) => ({
  openapi: "3.1.0",
  info: {
    title: "healthpass-edge",
    version: "1.0.0",
    description:
      "Personal health codes issued and verified at the edge. Every error is RFC 9457 problem+json.",
  },
  servers: [{ url: origin }],
});

/**
 * The OpenAPI document of `app`, built when called (after every route is mounted). Passed to the
 * /docs page rather than imported by it: the page is one of the app's routes.
 */
export const openApiDocumentOf = (app: App) => (origin: string) =>
  app.getOpenAPI31Document(openApiConfig(origin));
