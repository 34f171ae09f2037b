#!/usr/bin/env node
// `npm run log:audit -- --url <service> [--since <saved checkpoint>] [--save <file>] [--key <verifier key>] [--json]`
//
// Audits the public log as any outsider can: downloads the signed checkpoint and every entry bundle
// and hash tile (C2SP tlog-tiles), rebuilds the RFC 6962 tree from the entries, checks every served
// tile and the root against the checkpoint, the checkpoint's Ed25519 signature, and, with --since, that
// the log only grew since a checkpoint saved earlier (a consistency proof). Then it prints what the
// log holds: entries per day by type and cause, and authority events per actor pseudonym.
//
// The key is fetched from /log/key unless --key pins it (pin it: a log that lies could also lie about
// its key). Exit status: 0 verified, 1 verification failed, 2 usage or network error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const USAGE =
  "usage: npm run log:audit -- --url <service> [--since <saved checkpoint file>] [--save <file>] [--key <verifier key>] [--json]";
const ROOT = new URL("..", import.meta.url).pathname;

/** The verifier library is TypeScript shared with the Worker and the browser: bundled here once per run. */
async function loadVerifier() {
  const dir = mkdtempSync(join(tmpdir(), "log-audit-"));
  const out = join(dir, "tlog.mjs");
  try {
    await build({
      entryPoints: [join(ROOT, "verifier/tlog/index.ts")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: out,
      logLevel: "silent",
    });
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

class Fail extends Error {}

async function get(url, as) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url);
      if (res.status === 200)
        return as === "text" ? await res.text() : new Uint8Array(await res.arrayBuffer());
      if (res.status < 500 || attempt >= 4) throw new Fail(`GET ${url}: ${res.status}`);
    } catch (err) {
      if (err instanceof Fail || attempt >= 4) throw err;
    }
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
  }
}

/** A hand-written progress bar on stderr, redrawn at most every 100 ms. */
function progressBar(enabled) {
  let last = 0;
  return ({ done, total }) => {
    if (!enabled) return;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    process.stderr.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(pct).padStart(3)}% ${done.toLocaleString("en")}/${total.toLocaleString("en")} entries`,
    );
    if (done >= total) process.stderr.write("\n");
  };
}

export async function main(argv) {
  let flags;
  try {
    ({ values: flags } = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        since: { type: "string" },
        save: { type: "string" },
        key: { type: "string" },
        json: { type: "boolean", default: false },
        progress: { type: "boolean", default: true },
      },
    }));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (!flags.url) {
    console.error(USAGE);
    return 2;
  }
  const base = flags.url.replace(/\/$/, "");
  const t = await loadVerifier();
  try {
    const key = flags.key ?? (await get(`${base}/log/key`, "text")).trim();
    const signed = await get(`${base}/log/checkpoint`, "text");
    const cp = await t.verifyCheckpoint(signed, key);
    if (!cp.ok) throw new Fail(`the checkpoint does not verify under ${key}: ${cp.reason}`);
    const { size, root } = cp.checkpoint;

    const read = (ref) => get(`${base}/log/${t.tilePath(ref)}`, "bytes");
    const days = new Map();
    const actors = new Map();
    const decoder = new TextDecoder();
    const audit = await t.auditLog({
      size,
      expectedRoot: root,
      read,
      onProgress: progressBar(flags.progress && !flags.json),
      onEntry: (bytes, index) => {
        const e = t.decodeEntry(bytes);
        if (!e) throw new Fail(`entry ${index} is not a log entry: ${decoder.decode(bytes).slice(0, 80)}`);
        const day = String(e.at).slice(0, 10);
        const what = e.type === "color_change" ? `${e.type}/${e.cause}` : e.type;
        const perDay = days.get(day) ?? new Map();
        perDay.set(what, (perDay.get(what) ?? 0) + 1);
        days.set(day, perDay);
        if (e.type === "authority_event") {
          const a = actors.get(e.actor) ?? { total: 0, kinds: {} };
          a.total++;
          a.kinds[e.kind] = (a.kinds[e.kind] ?? 0) + 1;
          actors.set(e.actor, a);
        }
      },
    });
    if (!audit.ok) throw new Fail(`the log does not match its checkpoint: ${audit.reason} at ${audit.at}`);

    let since = null;
    if (flags.since) {
      const old = await t.verifyCheckpoint(readFileSync(flags.since, "utf8"), key);
      if (!old.ok) throw new Fail(`the saved checkpoint does not verify: ${old.reason}`);
      const o = old.checkpoint;
      if (o.size > size) throw new Fail(`the log shrank: saved size ${o.size}, now ${size}`);
      const proof = await t.consistencyProofFromTiles(o.size, size, read);
      if (!t.verifyConsistency(o.size, size, o.root, root, proof))
        throw new Fail(`the log is not an extension of the saved checkpoint (size ${o.size})`);
      since = { size: o.size, grownBy: size - o.size };
    }
    if (flags.save) writeFileSync(flags.save, signed);

    const report = {
      ok: true,
      origin: cp.checkpoint.origin,
      size,
      root: t.toBase64(root),
      since,
      perDay: Object.fromEntries([...days].sort().map(([d, m]) => [d, Object.fromEntries([...m].sort())])),
      authorityActors: Object.fromEntries([...actors].sort((a, b) => b[1].total - a[1].total)),
    };
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    return 0;
  } catch (err) {
    if (err instanceof Fail) {
      if (flags.json) console.log(JSON.stringify({ ok: false, error: err.message }));
      console.error(`log:audit: FAILED: ${err.message}`);
      return 1;
    }
    console.error(`log:audit: ${err.message ?? err}`);
    return 2;
  }
}

function printReport(r) {
  console.log(`${r.origin}: ${r.size.toLocaleString("en")} entries, root ${r.root} — verified`);
  if (r.since)
    console.log(`consistent with the saved checkpoint of size ${r.since.size} (+${r.since.grownBy})`);
  console.log("\nentries per day (UTC date of `at`) by type/cause:");
  for (const [day, counts] of Object.entries(r.perDay))
    console.log(
      `  ${day}  ${Object.entries(counts)
        .map(([k, n]) => `${k}=${n}`)
        .join("  ")}`,
    );
  console.log("\nauthority events per actor pseudonym:");
  const actors = Object.entries(r.authorityActors);
  if (actors.length === 0) console.log("  (none)");
  for (const [actor, a] of actors)
    console.log(
      `  ${actor}  ${a.total}  (${Object.entries(a.kinds)
        .map(([k, n]) => `${k}=${n}`)
        .join(", ")})`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  process.exitCode = await main(process.argv.slice(2));
