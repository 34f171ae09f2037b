// Bundles the pages' client scripts and styles (web/static → web/public, git-ignored output) for
// Workers Static Assets. Run by prestart, precheck and pretest:browser; ~100 ms, so it never needs caching.
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}web/public/static`;

// The verifier library is a colleague's area; until it exists the venue app's offline path stays off.
const verifierEntry = `${root}verifier/index.ts`;
const verifierPlugin = {
  name: "verifier",
  setup(b) {
    b.onResolve({ filter: /^#verifier$/ }, () => ({
      path: existsSync(verifierEntry) ? verifierEntry : `${root}web/static/lib/verifier-missing.ts`,
    }));
  },
};

export async function buildWeb({ minify = true } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    minify,
    sourcemap: false,
    target: "es2020",
    legalComments: "none",
    logLevel: "warning",
    plugins: [verifierPlugin],
  };
  // Page scripts as ES modules with shared chunks: the verifier (jose) loads only when a venue turns
  // on offline checks, so the person app's first load never pays for it.
  await build({
    ...common,
    entryPoints: {
      person: `${root}web/static/person.ts`,
      venue: `${root}web/static/venue.ts`,
      authority: `${root}web/static/authority.ts`,
    },
    outdir: out,
    format: "esm",
    splitting: true,
    chunkNames: "chunk-[hash]",
  });
  await build({ ...common, entryPoints: [`${root}web/static/app.css`], outfile: `${out}/app.css` });
  await buildApiReference(common);
  // The service worker's scope is its own path, so it is served from the root: /sw.js.
  await build({
    ...common,
    entryPoints: [`${root}web/static/sw.ts`],
    outfile: `${root}web/public/sw.js`,
    format: "iife",
  });
}

/**
 * /docs: Scalar's standalone browser bundle, copied as published (MIT, a pinned devDependency), and
 * our own start-up script for it (the page's CSP allows no inline script).
 */
async function buildApiReference(common) {
  const dir = `${out}/api-reference`;
  mkdirSync(dir, { recursive: true });
  // The package exports no package.json; its main entry sits in dist/, beside browser/.
  const main = createRequire(import.meta.url).resolve("@scalar/api-reference");
  copyFileSync(join(dirname(main), "browser/standalone.js"), `${dir}/scalar.js`);
  await build({
    ...common,
    entryPoints: [`${root}web/static/docs.ts`],
    outfile: `${dir}/docs.js`,
    format: "iife",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildWeb();
}
