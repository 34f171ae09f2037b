// `npm run docs:api`: writes docs/API.md from the /openapi.json of the Worker run locally (the
// bundle a deploy would upload, on workerd).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { problemTypes, renderApiMarkdown } from "./lib/api-markdown.mjs";
import { buildBundle, ROOT, startLocalRuntime } from "./lib/local-runtime.mjs";

export async function currentApiMarkdown() {
  const bundle = buildBundle();
  const runtime = await startLocalRuntime(bundle.script);
  try {
    const doc = await (await fetch(`${runtime.origin}/openapi.json`)).json();
    return renderApiMarkdown(doc, problemTypes(ROOT));
  } finally {
    await runtime.dispose();
    bundle.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(join(ROOT, "docs/API.md"), await currentApiMarkdown());
  console.log("wrote docs/API.md");
}
