// The full API reference at /docs: Scalar's standalone bundle (copied from the npm package into
// /static/api-reference/ by scripts/build-web.mjs, never loaded from a CDN) rendering /openapi.json.
// Everything that would call out of this origin is off; the page's CSP would refuse it anyway.
declare const Scalar: { createApiReference(target: string, config: Record<string, unknown>): unknown };

Scalar.createApiReference("#reference", {
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
  hideClientButton: false,
  documentDownloadType: "json",
});
