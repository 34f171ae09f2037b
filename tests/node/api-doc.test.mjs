// docs/API.md is the repository's API reference, generated from the service's /openapi.json: it must
// be what `npm run docs:api` writes now, so a route changed without regenerating it fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { currentApiMarkdown } from "../../scripts/api-doc.mjs";
import { ROOT } from "../../scripts/lib/local-runtime.mjs";

describe("docs/API.md", { timeout: 180_000 }, () => {
  it("is in step with /openapi.json (run `npm run docs:api` after changing a route)", async () => {
    const committed = readFileSync(join(ROOT, "docs/API.md"), "utf8");
    const current = await currentApiMarkdown();
    if (committed !== current) {
      const a = committed.split("\n");
      const b = current.split("\n");
      const at = a.findIndex((line, i) => line !== b[i]);
      assert.fail(`docs/API.md is stale from line ${at + 1}:\n  committed: ${a[at]}\n  generated: ${b[at]}`);
    }
  });

  it("documents every path of the service, with its shapes and the problem types", () => {
    const md = readFileSync(join(ROOT, "docs/API.md"), "utf8");
    for (const heading of ["### GET `/health`", "### GET `/.well-known/jwks.json`", "### POST `/v1/persons`"])
      assert.ok(md.includes(heading), heading);
    assert.match(md, /### ApplyPerson\n\n```ts\n\{\n {2}name: string/);
    assert.match(md, /\| `validation` \| 400 \|/);
  });
});
