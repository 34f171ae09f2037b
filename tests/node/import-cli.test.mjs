// The import CLI against the real service: the Worker bundle `wrangler deploy --dry-run` builds, run
// on workerd through the Miniflare API (local D1, Durable Objects, Queues, a loopback port), and the
// CLI started as a child process, talking plain HTTP to it. Run with `npm run test:node`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildBundle, startLocalRuntime } from "../../scripts/lib/local-runtime.mjs";
import { runScript } from "../helpers/node/run-script.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const CLI = join(ROOT, "scripts/import.mjs");

/** GB 11643 check character, computed here independently of the service. */
function residentId(address, birth, seq) {
  const body = `${address}${birth}${String(seq).padStart(3, "0")}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * w[i], 0);
  return body + "10X98765432"[sum % 11];
}

async function startService() {
  const bundle = buildBundle();
  const runtime = await startLocalRuntime(bundle.script);
  return { ...runtime, cleanupBundle: bundle.cleanup };
}

/** A flaky proxy in front of the service: answers 503 to every third import request, to prove retries. */
function flakyProxy(target) {
  let n = 0;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    if (req.url.startsWith("/v1/authority/imports") && ++n % 3 === 0) {
      res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
      res.end(JSON.stringify({ type: "x", title: "Unavailable", status: 503, detail: "try again" }));
      return;
    }
    const upstream = await fetch(target + req.url, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? "",
        "content-type": req.headers["content-type"] ?? "",
      },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    // fetch already decoded the body: pass on everything but the encoding and length.
    const headers = Object.fromEntries(
      [...upstream.headers].filter(([k]) => k !== "content-encoding" && k !== "content-length"),
    );
    res.writeHead(upstream.status, headers);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

const runCli = (args) => runScript(CLI, args);

describe("npm run import (CLI) against a running service", { timeout: 120_000 }, () => {
  let dir;
  let service;
  let token;
  let proxy;
  const file = () => join(dir, "persons.ndjson");
  const BAD = new Set([7, 150, 333, 999, 1000, 1001, 2500]);
  const TOTAL = 2_500;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "healthpass-import-cli-"));
    service = await startService();
    const seed = await (await fetch(`${service.origin}/dev/seed`)).json();
    const minted = await fetch(`${service.origin}/dev/id-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: seed.authoritySubject }),
    });
    token = (await minted.json()).idToken;
    proxy = await flakyProxy(service.origin);

    const since = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const lines = [];
    for (let i = 1; i <= TOTAL; i++) {
      const line = {
        idType: "resident_id",
        idNumber: residentId(
          "510104",
          `1990${String(1 + (i % 12)).padStart(2, "0")}15`,
          100 + Math.floor(i / 12),
        ),
        name: `张${i}`,
        color: ["red", "yellow", "green"][i % 3],
        reason: "原系统赋码",
        since,
        source: "cli-test",
      };
      lines.push(
        BAD.has(i)
          ? i % 2
            ? "{broken"
            : JSON.stringify({ ...line, color: "purple" })
          : JSON.stringify(line),
      );
    }
    // No trailing newline: the last line still counts.
    writeFileSync(file(), lines.join("\n"));
  });

  after(async () => {
    proxy?.server.close();
    await service?.dispose();
    service?.cleanupBundle();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("streams in chunks through failures, shows progress, and prints an exact summary", async () => {
    const rejected = join(dir, "rejected.ndjson");
    const run = await runCli([
      file(),
      "--url",
      proxy.origin,
      "--token",
      token,
      "--chunk-lines",
      "300",
      "--rejected",
      rejected,
    ]);
    assert.equal(run.code, 0, run.stderr);
    // Progress: done/total, rate and ETA, ending at the total.
    assert.match(run.stderr, /\] 300\/2500 lines \(12\.0%\) · \d+ lines\/s · ETA \S+/);
    assert.match(run.stderr, /\] 2500\/2500 lines \(100\.0%\)/);
    assert.match(run.stderr, /503 try again; retrying in/);
    assert.match(run.stdout, /accepted: +2493\n/);
    assert.match(run.stdout, /duplicates: +0\n/);
    assert.match(run.stdout, /rejected: +7 \(written to /);

    const rows = readFileSync(rejected, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((r) => r.line),
      [...BAD].sort((a, b) => a - b),
    );
    for (const r of rows) assert.equal(r.input, readFileSync(file(), "utf8").split("\n")[r.line - 1]);

    // Import lines live on their persons' shards: count on every one.
    const shards = Object.entries(service.databases).filter(([binding]) =>
      binding.startsWith("PERSON_SHARD_"),
    );
    const counts = await Promise.all(
      shards.map(([, db]) =>
        db.prepare("SELECT count(*) AS n FROM import_lines WHERE source = 'cli-test'").first(),
      ),
    );
    assert.equal(
      counts.reduce((sum, c) => sum + c.n, 0),
      2493,
    );
  });

  it("is idempotent when run again: the same counts (chunks replayed), and a new import id sees duplicates", async () => {
    const again = await runCli([
      file(),
      "--url",
      service.origin,
      "--token",
      token,
      "--chunk-lines",
      "300",
      "--rejected",
      join(dir, "r2.ndjson"),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /accepted: +2493\n/);

    const fresh = await runCli([
      file(),
      "--url",
      service.origin,
      "--token",
      token,
      "--chunk-lines",
      "1000",
      "--rejected",
      join(dir, "r3.ndjson"),
    ]);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /accepted: +0\n/);
    assert.match(fresh.stdout, /duplicates: +2493\n/);
    assert.match(fresh.stdout, /rejected: +7 /);
  });

  it("stops with a clear message on a refused credential", async () => {
    const run = await runCli([file(), "--url", service.origin, "--token", "nope"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /refused: 401/);
  });
});
