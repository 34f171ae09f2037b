// Values the vitest configurations (and the browser suite's global setup) provide from the environment (empty: default).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    fuzzRuns: string;
    fuzzSeed: string;
    queueResults: string;
    importLines: string;
    exposureVisitsPerVenue: string;
    /** The browser suite's migrated D1 state, copied by each service (tests/browser/migrated-state.ts). */
    migratedState: string;
  }
}
