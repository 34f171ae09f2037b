// Finds and loads the schema the capacity model measures: every D1 migrations folder named by a
// drizzle*.config.ts, and every Durable Object storage migration list (`StorageMigration[]`) under
// durable/, with the object class that applies it. Nothing here knows a table by name.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

/** `out` of each drizzle*.config.ts at the root: { config, dir, sql: [statements...] }. */
export function d1MigrationFolders(root) {
  const configs = readdirSync(root).filter((f) => /^drizzle.*\.config\.(ts|mts|js|mjs)$/.test(f));
  return configs.sort().map((config) => {
    const text = readFileSync(join(root, config), "utf8");
    const out = /\bout\s*:\s*["'`]([^"'`]+)["'`]/.exec(text)?.[1];
    if (!out) throw new Error(`${config}: no \`out\` folder found`);
    const dir = join(root, out);
    // wrangler and the vitest plugin apply the top-level .sql files in name order (meta/ is ignored).
    // A config whose folder drizzle-kit has not generated yet has no tables.
    const files = (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.endsWith(".sql")).sort();
    const sql = files.flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    return { config, dir: relative(root, dir), files, sql };
  });
}

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const LIST_DECL =
  /(?:export\s+)?const\s+([A-Z][A-Z0-9_]*)\s*:\s*(?:readonly\s+StorageMigration\s*\[\]|ReadonlyArray<\s*StorageMigration\s*>|StorageMigration\s*\[\])/g;
const CLASS_DECL = /export\s+class\s+(\w+)\s+extends\s+DurableObject\b/g;
const APPLY = /migrateStorage\(\s*[\w.]+\s*,\s*([A-Z][A-Z0-9_]*)\s*\)/g;

/** wrangler.toml's Durable Object bindings: [{ name, className }]. */
export function objectBindings(root) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const out = [];
  for (const block of toml.split(/\[\[durable_objects\.bindings\]\]/).slice(1)) {
    const name = /^\s*name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const className = /^\s*class_name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (name && className) out.push({ name, className });
  }
  return out;
}

const squash = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * The class that applies a migration list: the DurableObject class in a file that calls
 * `migrateStorage(…, LIST)`; else the wrangler binding whose name is the list's prefix
 * (PERSON_MIGRATIONS → PERSON); else a class whose name contains that prefix.
 */
function classFor(list, classesByFile, bindings) {
  for (const { classes, applies } of classesByFile)
    if (applies.includes(list) && classes.length === 1) return classes[0];
  const prefix = list.replace(/_?MIGRATIONS$/, "");
  const byBinding = bindings.find((b) => b.name === prefix);
  if (byBinding) return byBinding.className;
  const all = [...bindings.map((b) => b.className), ...classesByFile.flatMap((f) => f.classes)];
  return all.find((c) => squash(c).includes(squash(prefix))) ?? prefix;
}

const stubCloudflare = {
  name: "stub-cloudflare",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (a) => ({ path: a.path, namespace: "cf-stub" }));
    b.onLoad({ filter: /.*/, namespace: "cf-stub" }, () => ({
      contents:
        "export class DurableObject {}; export class WorkerEntrypoint {}; export class WorkflowEntrypoint {}; export const env = {};",
      loader: "js",
    }));
  },
};

/**
 * Every storage migration list under `durableDir`: [{ className, list, file, migrations }]. Each
 * declaring module is bundled with esbuild (cloudflare:* stubbed) with an extra export of the list,
 * so a list that its module does not export is found too.
 */
export async function objectMigrationLists(root, durableDir = "durable") {
  const files = tsFiles(join(root, durableDir));
  const bindings = objectBindings(root);
  const classesByFile = [];
  const lists = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    classesByFile.push({
      classes: [...text.matchAll(CLASS_DECL)].map((m) => m[1]),
      applies: [...text.matchAll(APPLY)].map((m) => m[1]),
    });
    for (const m of text.matchAll(LIST_DECL)) lists.push({ list: m[1], file, text });
  }
  const out = [];
  for (const { list, file, text } of lists) {
    let mod;
    try {
      const result = await build({
        stdin: {
          contents: `${text}\nexport { ${list} as __capacity_list };\n`,
          resolveDir: join(file, ".."),
          sourcefile: file,
          loader: "ts",
        },
        bundle: true,
        write: false,
        format: "esm",
        platform: "neutral",
        mainFields: ["module", "main"],
        logLevel: "silent",
        external: ["node:*"],
        plugins: [stubCloudflare],
      });
      const code = result.outputFiles[0].text;
      mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    } catch (err) {
      throw new Error(`cannot load ${list} from ${relative(root, file)}: ${err.message}`);
    }
    out.push({
      className: classFor(list, classesByFile, bindings),
      list,
      file: relative(root, file),
      migrations: mod.__capacity_list,
    });
  }
  return out;
}
