import { newApp } from "../app";

type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { description?: string }>;
};
type OpenApiDoc = {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
};

/** The list of paths rendered on the server: shown when scripts are off, and to crawlers. */
function Listing({ doc }: { doc: OpenApiDoc }) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? "Other"))];
  return (
    <>
      {tags.map((tag) => (
        <section>
          <h2>{tag}</h2>
          <ul>
            {ops
              .filter((o) => (o.op.tags?.[0] ?? "Other") === tag)
              .map(({ path, method, op }) => (
                <li>
                  <span class="m">{method}</span> <code>{path}</code> — {op.summary}
                  <br />
                  <small>
                    {op.security?.length ? "credential required; " : "public; "}
                    answers {Object.keys(op.responses ?? {}).join(", ")}
                  </small>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/**
 * The full reference (request and response shapes, examples, problem types) is Scalar's standalone
 * bundle rendering /openapi.json in the browser, served from our own static assets.
 */
function Reference({ doc }: { doc: OpenApiDoc }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.info.title} API reference</title>
        {/* Without it the browser asks for /favicon.ico, which does not exist (a 404 in the console). */}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
      </head>
      <body>
        <div id="reference" />
        <noscript>
          <h1>{doc.info.title} API reference</h1>
          <p>{doc.info.description}</p>
          <p>
            Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). The full reference
            needs JavaScript; the same content is in the repository's docs/API.md.
          </p>
          <Listing doc={doc} />
        </noscript>
        <script src={SCALAR_BUNDLE} />
        <script src="/static/api-reference/docs.js" />
      </body>
    </html>
  );
}

export const SCALAR_BUNDLE = "/static/api-reference/scalar.js";

// Scripts only from this origin (no CDN, no inline script). Scalar injects its styles at run time,
// hence 'unsafe-inline' for styles on this page alone, which holds no personal data.
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** `document` describes the whole app, which mounts this router: it is passed in, not imported. */
export const docsRoutes = (document: (origin: string) => unknown) =>
  newApp().get("/docs", (c) => {
    c.header("content-security-policy", DOCS_CSP);
    c.header("x-content-type-options", "nosniff");
    return c.html(<Reference doc={document(new URL(c.req.url).origin) as OpenApiDoc} />);
  });
