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

/** A readable API reference rendered on the server from /openapi.json: no CDN, works offline. */
function Reference({ doc }: { doc: OpenApiDoc }) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? "Other"))];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.info.title} API reference</title>
        <style>{`body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}
code{background:#f3f3f3;padding:0 .25rem;border-radius:3px}.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
section{border-top:1px solid #ddd;margin-top:1.5rem}li{margin:.4rem 0}small{color:#555}`}</style>
      </head>
      <body>
        <h1>{doc.info.title} API reference</h1>
        <p>{doc.info.description}</p>
        <p>
          Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
        </p>
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
      </body>
    </html>
  );
}

/** `document` describes the whole app, which mounts this router: it is passed in, not imported. */
export const docsRoutes = (document: (origin: string) => unknown) =>
  newApp().get("/docs", (c) => c.html(<Reference doc={document(new URL(c.req.url).origin) as OpenApiDoc} />));
