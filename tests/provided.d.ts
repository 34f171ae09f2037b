// Values vitest.config.ts and vitest.reliability.config.ts provide from the environment (empty: default).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    fuzzRuns: string;
    fuzzSeed: string;
    queueResults: string;
    importLines: string;
    exposureVisitsPerVenue: string;
  }
}
