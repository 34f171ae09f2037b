// Applying the D1 migrations (the registry and every person shard, one `wrangler d1 migrations apply`
// each) took longer than anything else a browser test file does, so the suite applies them once
// into a template state directory and every service starts from a copy of it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateAll } from "../../scripts/d1-migrate.mjs";

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "healthpass-browser-template-"));
  const failures = migrateAll(["--local", "--persist-to", dir], { quiet: true });
  if (failures.length) throw new Error(`migrations failed: ${failures.join("\n")}`);
  project.provide("migratedState", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
