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
  async stats(): Promise<{ size: number; pending: number; seen: number }> {
    return {
      size: this.load().edge.size,
      pending: this.sql.exec("SELECT count(*) AS n FROM pending").one().n as number,
      seen: this.sql.exec("SELECT count(*) AS n FROM seen").one().n as number,
    };
  }

  override async alarm(): Promise<void> {
    await this.sequenceAll();
    if (this.pendingCount() > 0) await this.ctx.storage.setAlarm(Date.now() + BATCH_MS);
  }

  private store(items: LogAppend[]): string[] {
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
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + BATCH_MS);
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
      const signer = await parseSignerKey(this.env.LOG_SIGNING_KEY ?? "");
      if (!signer) throw new Error("LOG_SIGNING_KEY is not a valid Ed25519 note signer key");
      if (signer.name !== this.env.LOG_ORIGIN)
        throw new Error("LOG_SIGNING_KEY's name must equal LOG_ORIGIN");
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
