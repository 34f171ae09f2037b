import { createRoute } from "@hono/zod-openapi";
import { isDistrictCode } from "../../schema/districts";
import { errorResponses } from "../../schema/wire/common";
import { TestingSiteListSchema, TestingSiteQuery } from "../../schema/wire/testing-sites";
import { newApp } from "../app";
import { invalid } from "../http/problems";
import { shanghaiIso } from "../lib/shanghai";
import { decodeCursor, encodeCursor } from "./cursor";
import { parseNear } from "./geo";
import { candidateSites, directoryVersion } from "./repo";
import { type SiteQuery, searchSites } from "./search";

const DEFAULT_LIMIT = 20;
const MAX_AGE_SECONDS = 60;
/** Never resolved: the Cache API only needs a URL-shaped key. */
const CACHE_ORIGIN = "https://testing-sites.cache.healthpass.internal";

const route = createRoute({
  method: "get",
  path: "/v1/testing-sites",
  tags: ["Testing sites"],
  summary: "Search testing sites by district, distance and opening hours (public, cacheable)",
  request: { query: TestingSiteQuery },
  responses: {
    200: {
      description: "One page of sites",
      content: { "application/json": { schema: TestingSiteListSchema } },
    },
    400: errorResponses[400],
  },
});

/** The minute in Asia/Shanghai: every answer shows `openNow`, which is exact to the minute. */
const minuteKey = (now: Date) => shanghaiIso(now).slice(0, 16);

export const testingSitePublicRoutes = newApp().openapi(route, async (c) => {
  const raw = c.req.valid("query");
  const query: SiteQuery = {};
  if (raw.districtCode) {
    if (!isDistrictCode(raw.districtCode))
      throw invalid([{ path: "districtCode", message: "is not a known GB/T 2260 district code" }]);
    query.districtCode = raw.districtCode;
  }
  if (raw.near) {
    const near = parseNear(raw.near);
    if (!near)
      throw invalid([{ path: "near", message: "must be lat,lon with lat in -90..90 and lon in -180..180" }]);
    query.near = near;
  }
  if (raw.openNow === "true") query.openNow = true;
  if (raw.service) query.service = raw.service;
  const limit = raw.limit ?? DEFAULT_LIMIT;

  // Normalised so that equivalent URLs ("30.60,104" and "30.6, 104.0") share a cursor and a cache entry.
  const fingerprint = new URLSearchParams({
    d: query.districtCode ?? "",
    n: query.near ? `${query.near.lat},${query.near.lon}` : "",
    o: query.openNow ? "1" : "",
    s: query.service ?? "",
  }).toString();
  const after = raw.cursor ? decodeCursor(fingerprint, raw.cursor) : undefined;
  if (after === null) throw invalid([{ path: "cursor", message: "is not a cursor of this search" }]);

  const now = new Date();
  const version = await directoryVersion(c.env);
  const cacheKey = new Request(
    `${CACHE_ORIGIN}/v${version}/${minuteKey(now)}?${fingerprint}&l=${limit}&c=${encodeURIComponent(raw.cursor ?? "")}`,
  );
  const cache = caches.default;
  const hit = await cache.match(cacheKey);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set("x-cache", "HIT");
    return res as unknown as ReturnType<typeof c.json<never, 200>>;
  }

  const page = searchSites(await candidateSites(c.env, query.districtCode), query, now, limit, after);
  const body = {
    sites: page.sites,
    ...(page.next ? { nextCursor: encodeCursor(fingerprint, page.next) } : {}),
  };
  const res = c.json(body, 200, {
    "cache-control": `public, max-age=${MAX_AGE_SECONDS}`,
    "x-directory-version": String(version),
  });
  const stored = res.clone();
  const put = cache.put(cacheKey, stored);
  try {
    c.executionCtx.waitUntil(put);
  } catch {
    await put; // no execution context (a direct call in tests): finish the write before answering
  }
  res.headers.set("x-cache", "MISS");
  return res;
});
