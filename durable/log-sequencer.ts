import { DurableObject } from "cloudflare:workers";
import {
  appendToEdge,
  type Edge,
  edgeRoot,
  emptyEdge,
  encodeBundle,
  encodeTile,
  formatCheckpoint,
  fromBase64,
  leafHash,
  type NoteSigner,
  parseSignerKey,
  sha256,
  signNote,
  TILE_WIDTH,
  type TileRef,
  tilePath,
  toBase64,
  toHex,
  utf8,
} from "../verifier/tlog";
import { logSettings } from "./log-settings";
import { LOG_SEQUENCER_MIGRATIONS } from "./log-storage";
import { migrateStorage } from "./storage-migrations";

/** Appends wait this long for others to join their batch: one set of R2 writes per batch, never per entry. */
const BATCH_MS = 250;
/** Entries sequenced per R2 round (16 full tiles and bundles at most, plus the edge's partial tiles). */
const MAX_BATCH = 4096;
/**
 * How long a sequenced key is remembered, so that a re-delivered append gets its first index instead
 * of a second entry. Outbox retries come within minutes; a day covers a long outage. At Chengdu's
 * 21 M changes a day that is ~21 M rows (~1.5 GB), within a Durable Object's storage.
 */
export const KEY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Partial tiles superseded by their full tile are deleted this long after the full tile is written
 * (C2SP tlog-tiles lets a log delete them once the full tile exists): a client holding an older
 * checkpoint has an hour to fetch them, and /log/tile serves a deleted partial from its full tile.
 */
export const PARTIAL_TILE_GRACE_MS = 60 * 60 * 1000;
/** Prefixes deleted per alarm (each a list and a delete of at most 255 objects). */
const GC_PER_ROUND = 20;
/** Longest accepted entry: entry bundles store each length as a uint16. */
const MAX_ENTRY_BYTES = 0xffff;

export interface LogAppend {
  /** Idempotency key chosen by the caller (e.g. `color:<personId>:<version>`); only its hash is kept. */
  key: string;
  /** The entry (canonical JSON). */
  entry: string;
}

export interface LogAppendResult {
  key: string;
  /** Null while not yet sequenced. */
  index: number | null;
}

/** Where the log's objects live in R2 (the C2SP paths, so routes map one to one). */
export const CHECKPOINT_KEY = "checkpoint";

interface Stored {
  edge: Edge;
  bundle: string[];
}

/**
 * The sequencer of one log: the only writer of its tiles and checkpoint. Appends are stored pending
 * (durably) and sequenced in batches: indexes assigned, the changed tiles and entry bundles written to
 * R2, a new checkpoint signed and written last, then the batch committed here. A crash between the R2
 * writes and the commit rewrites the same tiles with the same content (pending is sequenced in order).
 */
export class LogSequencer extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private signer: NoteSigner | null = null;
  /** The batch that appends arriving now will be part of. */
  private next: Promise<void> | null = null;
  /** Serialises sequencing rounds (the alarm and appends' batches). */
  private chain: Promise<unknown> = Promise.resolve();
  /** Calls and entries received by this instance (stats: the fan-in's effect is few calls, many entries). */
  private received = { calls: 0, entries: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, LOG_SEQUENCER_MIGRATIONS));
  }

  /** Stores the entries (idempotently) and waits for their batch; returns each key's index. */
  async append(items: LogAppend[]): Promise<LogAppendResult[]> {
    const keys = this.store(items);
    if (keys.some((k) => this.indexOf(k) === null)) {
      await this.ensureAlarm();
      // A failed round leaves the entries pending for the alarm; the caller retries for the index.
      await this.batch().catch((err) =>
        console.error(JSON.stringify({ level: "warn", msg: "log batch failed", error: String(err) })),
      );
    }
    return items.map((it, i) => ({ key: it.key, index: this.indexOf(keys[i]!) }));
  }

  /** Stores the entries without waiting; the alarm sequences them within about a second. */
  async submit(items: LogAppend[]): Promise<void> {
    this.store(items);
    await this.ensureAlarm();
  }

  /** The indexes of already sequenced keys (null: pending or unknown). */
  async indexes(keys: string[]): Promise<(number | null)[]> {
    return keys.map((k) => this.indexOf(hashKey(k)));
  }

  /** Counts for tests and operators: how much the object itself holds. */
  async stats(): Promise<{
    size: number;
    pending: number;
    seen: number;
    gc: number;
    calls: number;
    entries: number;
  }> {
    return {
      size: this.load().edge.size,
      pending: this.sql.exec("SELECT count(*) AS n FROM pending").one().n as number,
      seen: this.sql.exec("SELECT count(*) AS n FROM seen").one().n as number,
      gc: this.sql.exec("SELECT count(*) AS n FROM gc").one().n as number,
      ...this.received,
    };
  }

  override async alarm(): Promise<void> {
    await this.sequenceAll();
    await this.collectGarbage(Date.now());
    const gcDue = this.sql.exec<{ due: number | null }>("SELECT min(due) AS due FROM gc").one().due;
    const next = Math.min(
      this.pendingCount() > 0 ? Date.now() + BATCH_MS : Number.POSITIVE_INFINITY,
      gcDue ?? Number.POSITIVE_INFINITY,
    );
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
  }

  /**
   * Deletes the partial tiles whose grace period has ended by `now` (the alarm passes the clock; a
   * test may pass a later one). Returns how many objects were deleted.
   */
  async collectGarbage(now: number): Promise<number> {
    const due = this.sql
      .exec<{ prefix: string }>(
        "SELECT prefix FROM gc WHERE due <= ? ORDER BY due LIMIT ?",
        now,
        GC_PER_ROUND,
      )
      .toArray();
    let deleted = 0;
    for (const { prefix } of due) {
      // At most 255 partial widths per tile, so one page lists them all.
      const listed = await this.env.LOG_BUCKET.list({ prefix, limit: 1000 });
      const keys = listed.objects.map((o) => o.key);
      if (keys.length > 0) await this.env.LOG_BUCKET.delete(keys);
      deleted += keys.length;
      if (!listed.truncated) this.sql.exec("DELETE FROM gc WHERE prefix = ?", prefix);
    }
    return deleted;
  }

  private store(items: LogAppend[]): string[] {
    this.received.calls++;
    this.received.entries += items.length;
    for (const it of items)
      if (utf8(it.entry).length > MAX_ENTRY_BYTES)
        throw new RangeError(`log entry ${it.key.slice(0, 40)}… is longer than ${MAX_ENTRY_BYTES} bytes`);
    const keys = items.map((it) => hashKey(it.key));
    this.ctx.storage.transactionSync(() => {
      items.forEach((it, i) => {
        const key = keys[i]!;
        if (this.indexOf(key) !== null) return;
        this.sql.exec(
          "INSERT INTO pending (key, entry) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
          key,
          it.entry,
        );
      });
    });
    return keys;
  }

  private indexOf(key: string): number | null {
    const row = this.sql.exec<{ idx: number }>("SELECT idx FROM seen WHERE key = ?", key).toArray()[0];
    return row ? row.idx : null;
  }

  private pendingCount(): number {
    return this.sql.exec("SELECT count(*) AS n FROM pending").one().n as number;
  }

  private async ensureAlarm(): Promise<void> {
    // An alarm set for the partial tiles' clean-up may lie an hour ahead: bring it forward.
    const at = Date.now() + BATCH_MS;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** The batch rows stored now will be in: it starts after BATCH_MS, so concurrent appends share it. */
  private batch(): Promise<void> {
    if (!this.next) {
      this.next = new Promise<void>((resolve) => setTimeout(resolve, BATCH_MS)).then(() => {
        this.next = null;
        return this.sequenceAll();
      });
    }
    return this.next;
  }

  private sequenceAll(): Promise<void> {
    const run = this.chain.then(async () => {
      while ((await this.sequenceOnce()) === MAX_BATCH) {}
    });
    this.chain = run.catch(() => {});
    return run;
  }

  private load(): Stored {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = 'state'").toArray()[0];
    if (!row) return { edge: emptyEdge(), bundle: [] };
    const s = JSON.parse(row.v) as { size: number; levels: string[][]; bundle: string[] };
    return {
      edge: { size: s.size, levels: s.levels.map((l) => l.map((h) => fromBase64(h)!)) },
      bundle: s.bundle,
    };
  }

  private async getSigner(): Promise<NoteSigner> {
    if (!this.signer) {
      const settings = logSettings(this.env);
      const signer = await parseSignerKey(settings.signingKey ?? "");
      if (!signer) throw new Error("LOG_SIGNING_KEY is not a valid Ed25519 note signer key");
      if (signer.name !== settings.origin) throw new Error("LOG_SIGNING_KEY's name must equal LOG_ORIGIN");
      this.signer = signer;
    }
    return this.signer;
  }

  /** One round: up to MAX_BATCH pending entries into the tree. Returns how many were sequenced. */
  private async sequenceOnce(): Promise<number> {
    const rows = this.sql
      .exec<{ seq: number; key: string; entry: string }>(
        "SELECT seq, key, entry FROM pending ORDER BY seq LIMIT ?",
        MAX_BATCH,
      )
      .toArray();
    if (rows.length === 0) return 0;
    const signer = await this.getSigner();
    const { edge, bundle } = this.load();
    const start = edge.size;
    const entries = rows.map((r) => utf8(r.entry));
    const { edge: next, tiles } = appendToEdge(edge, entries.map(leafHash));

    // Entry bundles: the partial one continued, full ones closed, the new partial one written.
    const writes: { ref: TileRef; body: Uint8Array }[] = tiles.map((t) => ({
      ref: t.ref,
      body: encodeTile(t.hashes),
    }));
    let open = [...bundle];
    let bundleIndex = Math.floor(start / TILE_WIDTH);
    for (const r of rows) {
      open.push(r.entry);
      if (open.length === TILE_WIDTH) {
        writes.push({
          ref: { level: -1, index: bundleIndex, width: TILE_WIDTH },
          body: encodeBundle(open.map(utf8)),
        });
        open = [];
        bundleIndex++;
      }
    }
    if (open.length > 0)
      writes.push({
        ref: { level: -1, index: bundleIndex, width: open.length },
        body: encodeBundle(open.map(utf8)),
      });

    const full = (w: { ref: TileRef }) => w.ref.width === TILE_WIDTH;
    await Promise.all(
      writes.map((w) =>
        this.env.LOG_BUCKET.put(tilePath(w.ref), w.body, {
          httpMetadata: { contentType: "application/octet-stream" },
          customMetadata: full(w) ? { immutable: "1" } : {},
        }),
      ),
    );
    const checkpoint = await signNote(
      formatCheckpoint({ origin: signer.name, size: next.size, root: edgeRoot(next) }),
      signer,
    );
    // Written last: a checkpoint never names a tree whose tiles are not all in R2.
    await this.env.LOG_BUCKET.put(CHECKPOINT_KEY, checkpoint, {
      httpMetadata: { contentType: "text/plain; charset=utf-8" },
    });

    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      // The partial versions of every tile that is full now go after the grace period.
      for (const w of writes)
        if (full(w))
          this.sql.exec(
            "INSERT INTO gc (prefix, due) VALUES (?, ?) ON CONFLICT (prefix) DO NOTHING",
            `${tilePath(w.ref)}.p/`,
            now + PARTIAL_TILE_GRACE_MS,
          );
      rows.forEach((r, i) => {
        this.sql.exec(
          "INSERT INTO seen (key, idx, at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
          r.key,
          start + i,
          now,
        );
      });
      this.sql.exec("DELETE FROM pending WHERE seq <= ?", rows[rows.length - 1]!.seq);
      this.sql.exec(
        "INSERT INTO kv (k, v) VALUES ('state', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
        JSON.stringify({ size: next.size, levels: next.levels.map((l) => l.map(toBase64)), bundle: open }),
      );
      // Keys older than the window go, a bounded number per round so a round stays short.
      this.sql.exec(
        "DELETE FROM seen WHERE key IN (SELECT key FROM seen WHERE at < ? LIMIT 10000)",
        now - KEY_WINDOW_MS,
      );
    });
    return rows.length;
  }
}

/** Only a hash of the caller's key is kept: keys may name a person. */
function hashKey(key: string): string {
  return toHex(sha256(utf8(key)));
}
