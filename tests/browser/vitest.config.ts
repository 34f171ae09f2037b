import { defineConfig } from "vitest/config";

// Browser tests run in Node (Playwright drives Chromium against wrangler dev), not in workerd.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
    globalSetup: ["tests/browser/migrated-state.ts"],
  },
});
