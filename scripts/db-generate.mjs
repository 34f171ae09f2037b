// Regenerates the D1 migrations from schema/d1. Until the first production deploy the history is
// squashed into one initial migration so parallel schema work never collides on numbering.
// After the first deploy, drop the `rm` and let drizzle-kit append migrations as usual.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

if (!process.argv.includes("--append")) rmSync("schema/migrations", { recursive: true, force: true });
execFileSync(
  "npx",
  ["drizzle-kit", "generate", "--name", process.argv.includes("--append") ? "change" : "init"],
  {
    stdio: "inherit",
  },
);
