import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { generateDevSecrets } from "./scripts/dev-secrets.mjs";
import { createIssuerService } from "./tests/helpers/node/issuer-service.js";
import { createPushService } from "./tests/helpers/node/push-service.js";

/** Vectors from outside authors, copied byte for byte into tests/vectors (each folder's README says whence). */
function readTestdata(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      remoteBindings: false,
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ...(await generateDevSecrets()),
          DEV_MODE: "true",
          ISSUER_URL: "https://healthpass.test",
          TEST_MIGRATIONS: await readD1Migrations("./schema/migrations"),
          TESTDATA: readTestdata(new URL("./tests/vectors", import.meta.url).pathname),
        },
        // Push services played by the tests: the Worker sends Web Push through this binding when it
        // exists (never in production), and tests read back what each endpoint received.
        serviceBindings: { PUSH_FETCHER: createPushService(), ISSUER_FETCHER: createIssuerService() },
      },
    })),
  ],
  test: {
    include: ["tests/{unit,routes,durable,queues,conformance}/**/*.test.ts"],
    setupFiles: ["./tests/helpers/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
