import { defineConfig } from "vitest/config";
import { workersConfig as main } from "./vitest.config.ts";

/**
 * The reliability suite (tests/reliability): the same workerd set-up as `npm test` (bindings, dev
 * secrets, migrations, testdata), with only the heavy files and longer timeouts. `npm test` never
 * runs these; `npm run test:reliability` does.
 */
export default defineConfig({
  ...main,
  test: {
    ...main.test,
    name: "reliability",
    // The fuzzing file takes most of the run; the others run beside it (Vitest's default on 2 cores is one).
    maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
    include: ["tests/reliability/**/*.test.ts"],
    // Thousands of refused requests each log a structured line; keep the suite's own summaries.
    onConsoleLog: (log) => !log.trimStart().startsWith("{"),
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Bigger runs: FUZZ_RUNS=100000 npm run test:reliability (FUZZ_SEED replays a failure).
    provide: {
      fuzzRuns: process.env.FUZZ_RUNS ?? "",
      fuzzSeed: process.env.FUZZ_SEED ?? "",
      queueResults: process.env.QUEUE_RESULTS ?? "",
      importLines: process.env.IMPORT_LINES ?? "",
      exposureVisitsPerVenue: process.env.EXPOSURE_VISITS_PER_VENUE ?? "",
    },
  },
});
