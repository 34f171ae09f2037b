import { describe, expect, it } from "vitest";
import { call, type OpenApiDocument } from "../helpers/api";

/** Every path and method of the HTTP contract (docs/API.md), in OpenAPI's path syntax. */
const CONTRACT: [method: string, path: string][] = [
  ["get", "/health"],
  ["get", "/.well-known/jwks.json"],
  ["post", "/v1/verify"],
  ["post", "/v1/persons"],
  ["get", "/v1/persons"],
  ["get", "/v1/persons/{personId}/code"],
  ["get", "/v1/persons/{personId}/status"],
  ["post", "/v1/lab/results"],
  ["get", "/v1/push/vapid-public-key"],
  ["post", "/v1/push/subscriptions"],
  ["delete", "/v1/push/subscriptions"],
  ["post", "/v1/venues"],
  ["get", "/v1/venues/{venueId}/poster.svg"],
  ["post", "/v1/checkins"],
  ["get", "/v1/persons/{personId}/checkins"],
  ["get", "/v1/risk-areas"],
  ["post", "/v1/venue/scan"],
  ["post", "/v1/venue/lookup"],
  ["post", "/v1/venue/manual-entries"],
  ["post", "/v1/authority/labs"],
  ["post", "/v1/authority/risk-areas"],
  ["post", "/v1/authority/events"],
  ["get", "/v1/authority/stats"],
  ["post", "/v1/authority/issuers"],
  ["delete", "/v1/authority/issuers/{issuer}"],
  ["get", "/v1/testing-sites"],
  ["get", "/v1/persons/{personId}/results"],
  ["get", "/v1/persons/{personId}/vaccinations"],
  ["post", "/v1/persons/{personId}/appeals"],
  ["get", "/v1/persons/{personId}/appeals"],
  ["post", "/v1/authority/testing-sites"],
  ["post", "/v1/authority/imports"],
];

describe("the API is documented", () => {
  it("/openapi.json describes every path of the contract, with problem+json errors", async () => {
    const res = await call<OpenApiDocument>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const missing = CONTRACT.filter(([m, p]) => !res.body.paths[p]?.[m]).map(([m, p]) => `${m} ${p}`);
    expect(missing).toEqual([]);
    const persons = res.body.paths["/v1/persons"]?.post;
    expect(persons?.responses["400"]?.content).toHaveProperty("application/problem+json");
    expect(res.body.components.securitySchemes).toHaveProperty("idToken");
  });

  it("/docs is a readable reference listing the same routes", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    for (const [, path] of CONTRACT) expect(res.body).toContain(path);
  });

  it("/docs loads the full reference (Scalar) from our own assets, no CDN and no inline script", async () => {
    const res = await call("GET", "/docs");
    const scripts = [...(res.body as string).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs]) => /src="([^"]+)"/.exec(attrs!)?.[1])).toEqual([
      "/static/api-reference/scalar.js",
      "/static/api-reference/docs.js",
    ]);
    expect(scripts.every(([, , body]) => body === "")).toBe(true);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });
});
