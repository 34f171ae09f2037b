import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../helpers/api";
import { aPerson, aVenue } from "./venues.fixtures";

const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(ORIGIN + path, { headers }));

describe("web pages", () => {
  it("serves the three apps as server-rendered pages in the browser's language", async () => {
    for (const path of ["/", "/venue", "/authority"]) {
      const res = await get(path, { "accept-language": "en-GB,en;q=0.9" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await res.text();
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).toContain('<html lang="en"');
    }
    const zh = await (await get("/", { "accept-language": "zh-CN,zh;q=0.9" })).text();
    expect(zh).toContain('<html lang="zh-CN"');
    expect(zh).toContain("健康码");
    // The remembered choice wins over the browser's.
    const remembered = await (await get("/", { "accept-language": "zh-CN", cookie: "lang=en" })).text();
    expect(remembered).toContain('<html lang="en"');
  });

  it("opens the check-in page from a poster's place code, naming the venue", async () => {
    const owner = await aPerson("web-owner");
    const v = await aVenue(owner.token);
    const res = await get(`/c/${v.placeCode}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('id="checkin-form"');
    expect(html).toContain(v.placeCode);
  });

  it("refuses a place code that is not one, without a 5xx", async () => {
    const res = await get("/c/not-a-place-code");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("场所码无效");
  });

  it("does not shadow the API: unknown API paths stay problem+json", async () => {
    const res = await get("/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
