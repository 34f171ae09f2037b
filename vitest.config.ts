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

/** The workerd set-up (bindings, dev secrets, migrations, testdata): `workers` and the reliability suite. */
export const workersConfig = defineConfig({
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
          TEST_PERSON_MIGRATIONS: await readD1Migrations("./schema/migrations-person"),
          TESTDATA: readTestdata(new URL("./tests/vectors", import.meta.url).pathname),
        },
        // Push services played by the tests: the Worker sends Web Push through this binding when it
        // exists (never in production), and tests read back what each endpoint received.
        serviceBindings: { PUSH_FETCHER: createPushService(), ISSUER_FETCHER: createIssuerService() },
      },
    })),
  ],
  test: {
    name: "workers",
    include: ["tests/{routes,durable,queues,conformance}/**/*.test.ts"],
    setupFiles: ["./tests/helpers/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // IMPORT_LINES=10000: the import test at full size (tests/routes/imports.happy.test.ts).
    provide: { importLines: process.env.IMPORT_LINES ?? "" },
  },
});

/**
 * `npm test` runs two projects: `unit`, pure modules in plain Node (no workerd, no bindings, so a pure
 * module that picks up a binding fails there at once), and `workers`, everything else in workerd.
 */
export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one file at a time, and most workerd files spend their
    // time waiting on queue batch windows and alarms: three at a time keep both cores busy.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["tests/unit/**/*.test.ts", "tests/architecture/**/*.test.ts"],
          // Property tests and the QR reference check take seconds on a loaded machine.
          testTimeout: 30_000,
        },
      },
      workersConfig,
    ],
  },
});
