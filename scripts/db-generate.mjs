// `npm run db:generate -- --name <what>`: drizzle-kit for the registry database and for the person
// shards (one migration list applied to every shard); a config whose schema did not change adds nothing.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
for (const config of ["drizzle.config.ts", "drizzle.person-shard.config.ts"]) {
  const run = spawnSync("npx", ["drizzle-kit", "generate", "--config", config, ...args], {
    stdio: "inherit",
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
