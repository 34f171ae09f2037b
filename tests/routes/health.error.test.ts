import { afterEach, expect, it, vi } from "vitest";
import { call, env } from "../helpers/api";

afterEach(() => vi.restoreAllMocks());

it("a setting the Worker cannot read fails every request at once, and the log names it", async () => {
  const logged: string[] = [];
  vi.spyOn(console, "error").mockImplementation((line: string) => void logged.push(line));
  const broken = { ...env, CODE_TTL_SECONDS: "5 minutes" } as Env;
  const res = await call("GET", "/health", { env: broken });
  expect(res.status).toBe(500);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(logged.join("\n")).toMatch(/ConfigError: .*CODE_TTL_SECONDS/);
  // The same deployment with the setting fixed answers.
  expect((await call("GET", "/health", { env: { ...env, CODE_TTL_SECONDS: "60" } as Env })).status).toBe(200);
});
