import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The project's biome.json, run over a small tree (tests/architecture/fixtures, laid out like the
// repository) where each file marked "Violates" breaks one architecture rule: `npm run check` must
// fail on each of them and on nothing else.
const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "layers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(): { category: string; path: string }[] {
  cpSync(join(root, "tests/architecture/fixtures"), dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
  delete config.$schema;
  writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
  let out: string;
  try {
    out = execFileSync(join(root, "node_modules/.bin/biome"), ["lint", "--reporter=json", "."], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch (err) {
    // biome exits non-zero when it finds errors; the report is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { diagnostics: { category: string; location: { path: string } }[] };
  return report.diagnostics.map((d) => ({ category: d.category, path: d.location.path }));
}

describe("biome.json enforces the layers", () => {
  const found = lint();
  const at = (path: string) => found.filter((d) => d.path === path).map((d) => d.category);

  it("refuses an import of workers/ from durable/ (the rule engine and the objects), schema/ and web/", () => {
    for (const path of [
      "durable/rules/imports-workers.ts",
      "durable/rules/uses-lib.ts",
      "durable/imports-workers.ts",
      "schema/imports-workers.ts",
      "web/imports-workers.tsx",
    ]) {
      expect(at(path), path).toEqual(["lint/style/noRestrictedImports"]);
    }
  });

  it("lets an object (not the rule engine) use workers/lib/, which itself imports nothing of ours", () => {
    expect(at("durable/uses-lib.ts")).toEqual([]);
    expect(at("workers/lib/imports-area.ts")).toEqual(["lint/style/noRestrictedImports"]);
  });

  it("keeps the verifier free of schema/ but for the vocabulary, and reached only through its index", () => {
    expect(at("verifier/imports-schema.ts")).toEqual(["lint/style/noRestrictedImports"]);
    expect(at("workers/deep-verifier.ts")).toEqual(["lint/style/noRestrictedImports"]);
    expect(at("verifier/jws.ts")).toEqual([]);
    expect(at("workers/through-index.ts")).toEqual([]);
  });

  it("keeps the shared QR encoder free of the rest of the repository, and open to the web apps", () => {
    expect(at("qr/imports-schema.ts")).toEqual(["lint/style/noRestrictedImports"]);
    expect(at("qr/encode.ts")).toEqual([]);
    expect(at("web/draws-qr.ts")).toEqual([]);
  });

  it("refuses an import cycle, type-only imports included", () => {
    expect(at("workers/cycle-a.ts")).toContain("lint/suspicious/noImportCycles");
    expect(at("workers/cycle-b.ts")).toContain("lint/suspicious/noImportCycles");
  });

  it("reports nothing else", () => {
    expect(found).toHaveLength(11);
  });
});
