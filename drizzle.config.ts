import { defineConfig } from "drizzle-kit";

// The registry database (`DB`). Person shards have their own: drizzle.person-shard.config.ts.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/d1/registry.ts",
  out: "./schema/migrations",
});
