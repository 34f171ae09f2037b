import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";

it("GET /health answers ok", async () => {
  const res = await exports.default.fetch("https://healthpass.test/health");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
