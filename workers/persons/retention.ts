import { config } from "../config";
import { deleteInBatches, ROWS_PER_DELETE } from "../lib/bounded-delete";
import { log } from "../lib/log";
import { allShards } from "../lib/shards";
import type { Job } from "../scheduled/job";

// Retention of the person shards' event tables (every shard at once, a bounded amount per run; a
// backlog drains over the next runs, every 15 minutes):
// - Results and vaccination records wait in D1 only until the person's object holds them. A colour
//   snapshot in D1 proves the object was initialised (it is written from the object's outbox after
//   `init`, which read that person's waiting rows); rows received later were sent to the object by
//   the intake consumer, whose retries end within minutes. So rows of a person with a snapshot go
//   after HELD_GRACE_MS. Rows of a person who never applied go after PENDING_RECORD_RETENTION_DAYS.
// - The colour change log keeps COLOR_CHANGE_RETENTION_DAYS: the person's object (its history) and
//   the public log are the record of truth; D1's copy serves statistics.

const DAY_MS = 86_400_000;
/** How long a held row stays after it was received: covers the intake consumer's retries. */
export const HELD_GRACE_MS = DAY_MS;

export interface RetentionCutoffs {
  /** Rows received before this, of a person whose object holds them, are deleted. */
  heldBefore: string;
  /** Rows received before this are deleted whoever they belong to. */
  pendingBefore: string;
  /** Change-log rows before this are deleted. */
  changesBefore: string;
}

export function retentionCutoffs(
  now: Date,
  settings: { pendingRecordRetentionDays: number; colorChangeRetentionDays: number },
): RetentionCutoffs {
  const t = now.getTime();
  return {
    heldBefore: new Date(t - HELD_GRACE_MS).toISOString(),
    pendingBefore: new Date(t - settings.pendingRecordRetentionDays * DAY_MS).toISOString(),
    changesBefore: new Date(t - settings.colorChangeRetentionDays * DAY_MS).toISOString(),
  };
}

/** A condition over a table's `person_id` and `received_at`: held by the object, or waiting too long. */
const EXPIRED = `(received_at < ?1 AND person_id IN (SELECT person_id FROM color_snapshots)) OR received_at < ?2`;

const STATEMENTS = {
  test_results: `DELETE FROM test_results WHERE rowid IN (SELECT rowid FROM test_results WHERE ${EXPIRED} LIMIT ${ROWS_PER_DELETE})`,
  vaccination_records: `DELETE FROM vaccination_records WHERE rowid IN (SELECT rowid FROM vaccination_records WHERE ${EXPIRED} LIMIT ${ROWS_PER_DELETE})`,
  color_changes: `DELETE FROM color_changes WHERE rowid IN (SELECT rowid FROM color_changes WHERE at < ?1 LIMIT ${ROWS_PER_DELETE})`,
} as const;

/** Deletes what has expired on one shard; returns the rows deleted per table. */
async function sweepShard(
  db: D1Database,
  c: RetentionCutoffs,
): Promise<Record<keyof typeof STATEMENTS, number>> {
  const out = { test_results: 0, vaccination_records: 0, color_changes: 0 };
  await Promise.all(
    (Object.keys(STATEMENTS) as (keyof typeof STATEMENTS)[]).map(async (table) => {
      const binds = table === "color_changes" ? [c.changesBefore] : [c.heldBefore, c.pendingBefore];
      out[table] = await deleteInBatches(db, STATEMENTS[table], ...binds);
    }),
  );
  return out;
}

/** Runs the sweep on every shard at once; the totals deleted. */
export async function sweepPersonShards(env: Env, now: Date) {
  const cutoffs = retentionCutoffs(now, config(env));
  const parts = await allShards(env, (db) => sweepShard(db, cutoffs));
  return parts.reduce(
    (a, p) => ({
      test_results: a.test_results + p.test_results,
      vaccination_records: a.vaccination_records + p.vaccination_records,
      color_changes: a.color_changes + p.color_changes,
    }),
    { test_results: 0, vaccination_records: 0, color_changes: 0 },
  );
}

export const personShardRetentionJob: Job = {
  name: "person-shard-retention",
  async run(env, now) {
    const deleted = await sweepPersonShards(env, now);
    if (deleted.test_results + deleted.vaccination_records + deleted.color_changes > 0)
      log("info", "person shard retention", deleted);
  },
};
