#!/usr/bin/env node
// `npm run import -- <file> --url <service> --token <authority token> [--chunk-lines 1000]
//   [--rejected <file>] [--import-id <id>] [--retries 8]`
//
// Moves a previous code system's persons in: streams an NDJSON file of any size in chunks to
// POST /v1/authority/imports, with a progress line, retries with backoff, and a summary. The file is
// never read into memory whole: a first pass counts newlines (for the total and the ETA), the second
// reads line by line and holds one chunk at a time.
//
// Resuming: every chunk is sent with `importId` (derived from the file's path, size, mtime and the
// chunk size unless given) and its number. The service remembers each chunk's answer, so running
// the same command again after an interruption re-sends chunks cheaply and the summary stays exact;
// lines already imported by any earlier run count as duplicates and change nothing.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const USAGE =
  "usage: npm run import -- <file.ndjson> --url <service> --token <authority token> " +
  "[--chunk-lines 1000] [--rejected rejected.ndjson] [--import-id id] [--retries 8]";
/** The service takes at most 10,000 lines and 16 MiB a request; stay well under the byte limit. */
const MAX_CHUNK_LINES = 10_000;
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

export function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      "chunk-lines": { type: "string", default: "1000" },
      rejected: { type: "string" },
      "import-id": { type: "string" },
      retries: { type: "string", default: "8" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  const file = positionals[0];
  const chunkLines = Number(values["chunk-lines"]);
  const retries = Number(values.retries);
  const problems = [];
  if (!file) problems.push("a file to import is required");
  if (!values.url) problems.push("--url is required");
  if (!values.token) problems.push("--token is required");
  if (!Number.isInteger(chunkLines) || chunkLines < 1 || chunkLines > MAX_CHUNK_LINES)
    problems.push(`--chunk-lines must be 1..${MAX_CHUNK_LINES}`);
  if (!Number.isInteger(retries) || retries < 0) problems.push("--retries must be a whole number");
  if (values["import-id"] && !/^[A-Za-z0-9_-]{1,64}$/.test(values["import-id"]))
    problems.push("--import-id must be 1 to 64 letters, digits, _ or -");
  if (problems.length) return { problems };
  return {
    file: resolve(file),
    url: values.url.replace(/\/+$/, ""),
    token: values.token,
    chunkLines,
    retries,
    rejectedPath: resolve(values.rejected ?? `${file}.rejected.ndjson`),
    importId: values["import-id"],
  };
}

/** Newlines in the file, plus one for a last line without a newline: the total for the progress line. */
export async function countLines(file) {
  let lines = 0;
  let last = 10;
  for await (const buf of createReadStream(file)) {
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++;
    if (buf.length) last = buf[buf.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}

/** The same file, chunk size and target give the same id, so re-running the command resumes. */
function defaultImportId(file, chunkLines) {
  const s = statSync(file);
  const h = createHash("sha256").update(`${file}|${s.size}|${s.mtimeMs}|${chunkLines}`).digest("base64url");
  return `cli-${h.slice(0, 22)}`;
}

/** Chunks of whole lines: at most `maxLines` lines, and no more bytes than the service accepts. */
export async function* chunks(file, maxLines, maxBytes = MAX_CHUNK_BYTES) {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let lines = [];
  let bytes = 0;
  let firstLine = 1;
  let n = 0;
  for await (const line of rl) {
    const size = Buffer.byteLength(line) + 1;
    if (lines.length > 0 && (lines.length >= maxLines || bytes + size > maxBytes)) {
      yield { n: n++, firstLine, lines };
      firstLine += lines.length;
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length > 0) yield { n: n++, firstLine, lines };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Exponential backoff with full jitter, capped; a server's Retry-After wins when it is longer. */
export function backoffMs(attempt, retryAfterSeconds) {
  const exp = Math.min(30_000, 500 * 2 ** attempt);
  const jittered = exp / 2 + Math.random() * (exp / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

class FatalError extends Error {}

/** Sends one chunk; retries network errors, 429 and 5xx; anything else 4xx is fatal (a fix is needed). */
async function sendChunk(opts, importId, chunk, onRetry) {
  const url = `${opts.url}/v1/authority/imports?importId=${encodeURIComponent(importId)}&chunk=${chunk.n}`;
  const body = `${chunk.lines.join("\n")}\n`;
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let detail = "";
    let retryAfter;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${opts.token}`, "content-type": "application/x-ndjson" },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      status = res.status;
      const text = await res.text();
      if (res.ok) return JSON.parse(text);
      retryAfter = Number(res.headers.get("retry-after")) || undefined;
      try {
        detail = JSON.parse(text).detail ?? text;
      } catch {
        detail = text.slice(0, 200);
      }
      if (status !== 429 && status < 500) {
        throw new FatalError(
          `chunk ${chunk.n} (lines ${chunk.firstLine}-${chunk.firstLine + chunk.lines.length - 1}) refused: ${status} ${detail}`,
        );
      }
    } catch (err) {
      if (err instanceof FatalError) throw err;
      if (!status) detail = err?.cause?.code ?? err?.message ?? String(err);
    }
    if (attempt >= opts.retries) {
      throw new FatalError(
        `chunk ${chunk.n} failed after ${attempt + 1} attempts: ${status || "network"} ${detail}`,
      );
    }
    const wait = backoffMs(attempt, retryAfter);
    onRetry(
      `chunk ${chunk.n}: ${status || "network error"} ${detail}; retrying in ${(wait / 1000).toFixed(1)} s`,
    );
    await sleep(wait);
  }
}

const fmtDuration = (s) => {
  if (!Number.isFinite(s)) return "?";
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h ? `${h}h${String(m).padStart(2, "0")}m` : m ? `${m}m${String(sec).padStart(2, "0")}s` : `${sec}s`;
};

/** `[#####-----] 5000/10000 lines (50.0%) · 2500 lines/s · ETA 2s` */
export function progressLine(done, total, elapsedMs) {
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 100;
  const width = 20;
  const filled = Math.round((pct / 100) * width);
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} lines (${pct.toFixed(1)}%) · ${Math.round(rate)} lines/s · ETA ${fmtDuration(eta)}`;
}

export async function runImport(opts, { out = process.stdout, err = process.stderr } = {}) {
  const total = await countLines(opts.file);
  const importId = opts.importId ?? defaultImportId(opts.file, opts.chunkLines);
  const tty = Boolean(err.isTTY);
  const started = Date.now();
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const rejectedOut = createWriteStream(opts.rejectedPath);
  let done = 0;
  const show = (line) => (tty ? err.write(`\r${line}\x1b[K`) : err.write(`${line}\n`));
  const note = (line) => (tty ? err.write(`\r\x1b[K${line}\n`) : err.write(`${line}\n`));

  err.write(`importing ${opts.file} (${total} lines) to ${opts.url} as ${importId}\n`);
  try {
    for await (const chunk of chunks(opts.file, opts.chunkLines)) {
      const receipt = await sendChunk(opts, importId, chunk, note);
      totals.accepted += receipt.accepted;
      totals.duplicates += receipt.duplicates;
      totals.rejected += receipt.rejected.length;
      for (const r of receipt.rejected) {
        const line = chunk.firstLine + r.line - 1;
        rejectedOut.write(
          `${JSON.stringify({ line, message: r.message, input: chunk.lines[r.line - 1] ?? null })}\n`,
        );
      }
      done += chunk.lines.length;
      show(progressLine(done, total, Date.now() - started));
    }
  } finally {
    await new Promise((r) => rejectedOut.end(r));
    if (tty) err.write("\n");
  }
  const seconds = (Date.now() - started) / 1000;
  out.write(
    [
      `import ${importId} finished in ${seconds.toFixed(1)} s: ${done} lines`,
      `  accepted:   ${totals.accepted}`,
      `  duplicates: ${totals.duplicates}`,
      `  rejected:   ${totals.rejected}${totals.rejected ? ` (written to ${opts.rejectedPath})` : ""}`,
      "",
    ].join("\n"),
  );
  return { ...totals, lines: done, importId };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname;
if (isMain) {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
  } else if (opts.problems) {
    console.error(`${opts.problems.join("\n")}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    try {
      await runImport(opts);
    } catch (e) {
      console.error(`\nimport stopped: ${e.message}\nRun the same command again to resume.`);
      process.exitCode = 1;
    }
  }
}
