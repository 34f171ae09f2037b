import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/d1/index.ts",
  out: "./schema/migrations",
});
