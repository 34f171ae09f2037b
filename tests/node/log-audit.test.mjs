// The log audit CLI against the real service (the Worker bundle on workerd with local D1, Durable
// Objects, Queues and R2), as an outside auditor runs it. Run with `npm run test:node`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildBundle, startLocalRuntime } from "../../scripts/lib/local-runtime.mjs";
import { runScript } from "../helpers/node/run-script.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const CLI = join(ROOT, "scripts/log-audit.mjs");
const EVENTS = 300; // more than one full tile (256)

function residentId(address, birth, seq) {
  const body = `${address}${birth}${String(seq).padStart(3, "0")}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * w[i], 0);
  return body + "10X98765432"[sum % 11];
}

const runCli = (args) => runScript(CLI, args);

/** A log host that lies: flips one bit of the first full hash tile. */
function tamperingProxy(target) {
  const server = createServer(async (req, res) => {
    const upstream = await fetch(target + req.url);
    const body = new Uint8Array(await upstream.arrayBuffer());
    if (req.url === "/log/tile/0/000" && body.length > 0) body[5] ^= 1;
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "" });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

async function checkpointSize(origin) {
  const res = await fetch(`${origin}/log/checkpoint`);
  if (res.status !== 200) return 0;
  return Number((await res.text()).split("\n")[1]);
}

describe("npm run log:audit against a running service", { timeout: 180_000 }, () => {
  let dir;
  let service;
  let bundle;
  let token;
  let proxy;

  async function postEvents(from, to) {
    for (let i = from; i < to; i++) {
      const res = await fetch(`${service.origin}/v1/authority/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          idType: "resident_id",
          idNumber: residentId("510104", "19800101", i),
          kind: i % 2 ? "close_contact" : "confirmed",
          occurredAt: new Date().toISOString(),
          reason: `case file ${i}`,
        }),
      });
      assert.equal(res.status, 202, await res.text());
    }
    for (let i = 0; (await checkpointSize(service.origin)) < to; i++) {
      assert.ok(i < 200, "the log did not sequence the events");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "healthpass-log-audit-"));
    bundle = buildBundle();
    service = await startLocalRuntime(bundle.script);
    const seed = await (await fetch(`${service.origin}/dev/seed`)).json();
    const minted = await fetch(`${service.origin}/dev/id-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: seed.authoritySubject }),
    });
    token = (await minted.json()).idToken;
    await postEvents(0, EVENTS);
    proxy = await tamperingProxy(service.origin);
  });

  after(async () => {
    proxy?.server.close();
    await service?.dispose();
    bundle?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("verifies the whole log and counts entries per day and authority events per actor", async () => {
    const saved = join(dir, "checkpoint.txt");
    const run = await runCli(["--url", service.origin, "--json", "--save", saved]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.size, EVENTS);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(report.perDay[today].authority_event, EVENTS);
    const actors = Object.values(report.authorityActors);
    assert.equal(actors.length, 1, "one authority account, one pseudonym");
    assert.deepEqual(actors[0], {
      total: EVENTS,
      kinds: { close_contact: EVENTS / 2, confirmed: EVENTS / 2 },
    });
    assert.match(readFileSync(saved, "utf8"), /^healthpass\.local\/log\n300\n/);

    // Human output: a progress bar and the tables.
    const human = await runCli(["--url", service.origin]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stderr, /\[#{30}\] 100% 300\/300 entries/);
    assert.match(human.stdout, /authority_event=300/);
  });

  it("checks the log only grew since a saved checkpoint, and refuses a forged one", async () => {
    const saved = join(dir, "checkpoint.txt");
    await postEvents(EVENTS, EVENTS + 20);
    const run = await runCli(["--url", service.origin, "--json", "--since", saved]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).since, { size: EVENTS, grownBy: 20 });

    const forged = join(dir, "forged.txt");
    writeFileSync(forged, readFileSync(saved, "utf8").replace(/\n300\n/, "\n299\n"));
    const bad = await runCli(["--url", service.origin, "--json", "--since", forged]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /saved checkpoint does not verify: bad_signature/);
  });

  it("fails on a tampered tile", async () => {
    const run = await runCli(["--url", proxy.origin, "--json"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /tile_mismatch at tile\/0\/000/);
  });
});
