import { DurableObject } from "cloudflare:workers";
import { logSequencer } from "./log-client";
import type { LogAppend, LogAppendResult } from "./log-sequencer";
import { LOG_POOL_MIGRATIONS } from "./log-storage";
import { migrateStorage } from "./storage-migrations";

/** Appends wait this long for others to join: the sequencer then takes one call per pool per interval. */
export const POOL_MS = 100;
/** Entries forwarded per call to the sequencer. */
const MAX_FORWARD = 8192;
/** A failed forward of stored entries is retried this much later. */
const RETRY_MS = 2_000;

/**
 * A fan-in in front of the one sequencer: a Chengdu-sized peak is thousands of changes a second, each
 * from its own person object, and one object cannot take thousands of calls a second. Submitters are
 * spread over `LOG_POOLS` pools by a hash of who submits (durable/log-client.ts); each pool collects
 * what arrives within POOL_MS, deduplicated by key, and forwards it as one call.
 *
 * Two ways in:
 * - `append` (person objects' outboxes) keeps entries in memory only and answers with each key's index
 *   once sequenced: the person's outbox is the durable copy and retries what came back without one.
 * - `submit` (authority routes) stores entries here and forwards them by alarm until the sequencer has
 *   them: the caller does not wait and keeps no copy.
 * Idempotency is the sequencer's (by key), so a re-delivered or re-forwarded entry gets its first index.
 */
export class LogPool extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Entries of the batch being collected, by key. */
  private open = new Map<string, string>();
  /** That batch's answer: each key's index (null: not sequenced yet). */
  private next: Promise<Map<string, number | null>> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, LOG_POOL_MIGRATIONS));
  }

  /** Joins the current batch and waits for it to be sequenced; each key's index, null if not (yet). */
  async append(items: LogAppend[]): Promise<LogAppendResult[]> {
    for (const it of items) this.open.set(it.key, it.entry);
    const indexes = await this.batch();
    return items.map((it) => ({ key: it.key, index: indexes.get(it.key) ?? null }));
  }

  /** Stores the entries (idempotently by key) for the alarm to forward; returns once they are durable here. */
  async submit(items: LogAppend[]): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      for (const it of items)
        this.sql.exec(
          "INSERT INTO pending (key, entry) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
          it.key,
          it.entry,
        );
    });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + POOL_MS);
  }

  /** How many stored entries wait to be forwarded (tests, operators). */
  async pending(): Promise<number> {
    return this.sql.exec("SELECT count(*) AS n FROM pending").one().n as number;
  }

  override async alarm(): Promise<void> {
    const rows = this.sql
      .exec<{ seq: number; key: string; entry: string }>(
        "SELECT seq, key, entry FROM pending ORDER BY seq LIMIT ?",
        MAX_FORWARD,
      )
      .toArray();
    if (rows.length > 0) {
      try {
        // Stored by the sequencer (durably, pending there) before it answers.
        await logSequencer(this.env).submit(rows.map((r) => ({ key: r.key, entry: r.entry })));
        this.sql.exec("DELETE FROM pending WHERE seq <= ?", rows[rows.length - 1]!.seq);
      } catch (err) {
        console.error(JSON.stringify({ level: "warn", msg: "log pool forward failed", error: String(err) }));
        await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
        return;
      }
    }
    if ((await this.pending()) > 0) await this.ctx.storage.setAlarm(Date.now() + POOL_MS);
  }

  private batch(): Promise<Map<string, number | null>> {
    if (!this.next) {
      this.next = new Promise<void>((resolve) => setTimeout(resolve, POOL_MS)).then(() => {
        const entries = this.open;
        this.open = new Map();
        this.next = null;
        return this.forward(entries);
      });
    }
    return this.next;
  }

  private async forward(entries: Map<string, string>): Promise<Map<string, number | null>> {
    const items = [...entries].map(([key, entry]) => ({ key, entry }));
    const out = new Map<string, number | null>();
    const sequencer = logSequencer(this.env);
    for (let i = 0; i < items.length; i += MAX_FORWARD) {
      const chunk = items.slice(i, i + MAX_FORWARD);
      try {
        for (const r of await sequencer.append(chunk)) out.set(r.key, r.index);
      } catch (err) {
        // Unanswered keys stay in their submitters' outboxes, which retry.
        console.error(JSON.stringify({ level: "warn", msg: "log pool append failed", error: String(err) }));
      }
    }
    return out;
  }
}
