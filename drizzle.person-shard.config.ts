import { defineConfig } from "drizzle-kit";

// Every person shard (PERSON_SHARD_<i>): one schema and one append-only migration list for all of them.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/d1/person-shard.ts",
  out: "./schema/migrations-person",
});
