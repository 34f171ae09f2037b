// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_PERSON_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** tests/vectors, path relative to it → file text. */
    TESTDATA: Record<string, string>;
  }
}
