// Applies D1 migrations to every database in wrangler.toml: the registry `DB` (schema/migrations)
// and every person shard PERSON_SHARD_<i> (schema/migrations-person), each by its binding's
// `migrations_dir`. `node scripts/d1-migrate.mjs --remote` is the deploy step; `npm start` and the
// browser tests call `migrateAll(["--local", ...])`.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The D1 bindings declared in wrangler.toml, in file order. */
export function d1Bindings(path = "wrangler.toml") {
  const toml = readFileSync(path, "utf8");
  const out = [];
  for (const block of toml.split(/^\[\[d1_databases\]\]\s*$/m).slice(1)) {
    const m = /^binding\s*=\s*"([^"]+)"/m.exec(block);
    if (m) out.push(m[1]);
  }
  return out;
}

/** Runs `wrangler d1 migrations apply` for each binding; returns the failures' stderr (empty: all done). */
export function migrateAll(args, opts = {}) {
  const failures = [];
  for (const binding of d1Bindings()) {
    const run = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", binding, ...args], {
      stdio: opts.quiet ? "pipe" : "inherit",
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    if (run.status !== 0) failures.push(`${binding}: ${run.stderr ?? `exit ${run.status}`}`);
  }
  return failures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const failures = migrateAll(process.argv.slice(2));
  if (failures.length) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
}
