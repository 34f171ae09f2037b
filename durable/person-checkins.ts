import type { CheckInRow } from "../schema/checkins";
import { type CheckInColumns, checkInFromColumns } from "./checkin-columns";
import { dropOldest } from "./drop-oldest";
import { expiryOf, retentionCutoff } from "./venue-coverage";

/**
 * The person's own check-ins in their object (person migration 4). The person object is where one
 * person's visits meet, so it decides what is the same visit (same venue within the dedupe window,
 * or the same id: an Idempotency-Key) and what is a replay (a live code already scanned at another
 * venue); the venue object then keeps its copy under the same id. Synchronous; run inside the
 * object's transaction.
 */

/** The person's copy knows the venue; the venue's copy knows the person. */
interface Row extends CheckInColumns {
  venue_id: string;
  venue_kept: number;
}

export interface VisitCheck {
  /** A visit to the same venue after this instant is the same visit. */
  dedupeSince: string;
  /** For a scanned live code: a scan of the same code (`codeIat`) at another venue after this is a replay. */
  replaySince: string | null;
  /**
   * False when the visit's id is fresh (no Idempotency-Key), so only the venue and the window make
   * a repeat. Absent (an older caller) counts as keyed.
   */
  keyed?: boolean;
}

export type RecordedVisit =
  /** `venueKept`: storage says the venue's object holds the visit (person migration 7; marked after the fact, so false may be stale). */
  | { row: CheckInRow; created: boolean; replayed: false; venueKept: boolean }
  | { row: null; created: false; replayed: true };

const RETENTION_KEY = "checkinRetentionDays";
/** Venues whose latest visit is remembered: a person visits far fewer than this within a window. */
const LATEST_KNOWN_MAX = 256;

/** The latest visit at a venue, as stored. */
interface Latest {
  row: CheckInRow;
  venueKept: boolean;
}

export class PersonCheckIns {
  /** The retention stored, as this instance last wrote or read it (undefined: not known here). */
  private retentionKnown: number | null | undefined;
  /**
   * The latest visit at each venue recently visited, as this instance wrote or read it, in the
   * order learnt (oldest first). A re-scan inside the dedupe window (an app's retry, a second scan
   * at the door) is answered from here: no SQL and no transaction. Only this object writes the
   * table and SQL is synchronous, so what is here is what storage holds; a venue missing here is
   * looked up in storage as before.
   */
  private readonly latest = new Map<string, Latest>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly personId: () => string,
  ) {}

  private toRow(r: Row): CheckInRow {
    return checkInFromColumns(r, r.venue_id, this.personId());
  }

  /**
   * The same visit when this instance knows it: the venue's latest visit is inside the dedupe window
   * and no other answer is possible (no replay check; with a key, the visit is the key's own). What
   * `record` would return, without SQL; null: ask `record`.
   */
  knownRepeat(row: CheckInRow, check: VisitCheck): RecordedVisit | null {
    if (check.replaySince) return null;
    const known = this.latest.get(row.venueId);
    if (!known || known.row.checkedInAt <= check.dedupeSince) return null;
    if (check.keyed !== false && known.row.checkInId !== row.checkInId) return null;
    return {
      row: { ...known.row, personId: row.personId },
      created: false,
      replayed: false,
      venueKept: known.venueKept,
    };
  }

  record(row: CheckInRow, check: VisitCheck, retentionDays: number): RecordedVisit {
    if (check.replaySince && row.codeIat !== null) {
      const elsewhere = this.sql
        .exec(
          "SELECT 1 FROM checkins WHERE checked_in_at > ? AND code_iat = ? AND venue_id <> ? LIMIT 1",
          check.replaySince,
          row.codeIat,
          row.venueId,
        )
        .toArray();
      if (elsewhere.length > 0) return { row: null, created: false, replayed: true };
    }
    // A new visit (the common case) is one statement: inserted unless this venue was visited in the
    // dedupe window or the id (an Idempotency-Key's) exists; only then is the earlier visit read.
    const inserted = this.sql.exec(
      `INSERT INTO checkins (check_in_id, venue_id, kind, checked_in_at, color, distance_m, device_key_id,
         entry_id, presence, venue_name, code_iat, voided_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL
       WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE venue_id = ?2 AND checked_in_at > ?12)
       ON CONFLICT (check_in_id) DO NOTHING`,
      row.checkInId,
      row.venueId,
      row.kind,
      row.checkedInAt,
      row.color,
      row.distanceM,
      row.deviceKeyId,
      row.entryId,
      row.presence,
      row.venueName,
      row.codeIat,
      check.dedupeSince,
    );
    inserted.toArray();
    if (inserted.rowsWritten === 0) {
      const same = this.sql
        .exec<Row>(
          `SELECT * FROM checkins WHERE check_in_id = ?
           UNION ALL SELECT * FROM (SELECT * FROM checkins WHERE venue_id = ? AND checked_in_at > ?
             ORDER BY checked_in_at DESC LIMIT 1)
           LIMIT 1`,
          row.checkInId,
          row.venueId,
          check.dedupeSince,
        )
        .toArray()[0];
      // Not inserted means one of the two exists: SQL is synchronous, nothing ran in between.
      if (!same) throw new Error("A check-in was neither recorded nor found");
      const found = {
        row: { ...this.toRow(same), personId: row.personId },
        venueKept: same.venue_kept === 1,
      };
      // Without a key the answer is the venue's latest visit; with one it may be an older one.
      if (check.keyed === false) this.learn(found, check.dedupeSince);
      return { ...found, created: false, replayed: false };
    }
    // Written without reading first when not known here: one statement either way.
    if (Number.isInteger(retentionDays) && retentionDays > 0 && this.retentionKnown !== retentionDays)
      this.setRetention(retentionDays);
    this.learn({ row, venueKept: false }, check.dedupeSince);
    return { row, created: true, replayed: false, venueKept: false };
  }

  /** Remembers the venue's latest visit (a later one only), dropping those out of the window first. */
  private learn(visit: Latest, dedupeSince: string): void {
    const known = this.latest.get(visit.row.venueId);
    if (known && known.row.checkedInAt > visit.row.checkedInAt) return;
    this.latest.delete(visit.row.venueId);
    // Learnt in time order (a later visit is learnt later), so the stale ones are at the front.
    dropOldest(this.latest, (v) => v.row.checkedInAt > dedupeSince, LATEST_KNOWN_MAX);
    this.latest.set(visit.row.venueId, visit);
  }

  /** Marks visits whose copy the venue's object holds (person migration 7): a repeat of one makes no call there. */
  markKept(checkInIds: readonly string[]): void {
    this.sql.exec(
      "UPDATE checkins SET venue_kept = 1 WHERE check_in_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(checkInIds),
    );
  }

  /** Newest first, keyset-paginated by (checked_in_at, check_in_id). */
  page(limit: number, before?: { at: string; id: string }): CheckInRow[] {
    return this.sql
      .exec<Row>(
        `SELECT * FROM checkins
         WHERE ?1 IS NULL OR checked_in_at < ?1 OR (checked_in_at = ?1 AND check_in_id < ?2)
         ORDER BY checked_in_at DESC, check_in_id DESC LIMIT ?3`,
        before?.at ?? null,
        before?.id ?? "",
        limit,
      )
      .toArray()
      .map((r) => this.toRow(r));
  }

  find(checkInId: string): CheckInRow | null {
    const r = this.sql.exec<Row>("SELECT * FROM checkins WHERE check_in_id = ?", checkInId).toArray()[0];
    return r ? this.toRow(r) : null;
  }

  void(checkInId: string, at: string): void {
    this.sql.exec(
      "UPDATE checkins SET voided_at = ? WHERE check_in_id = ? AND voided_at IS NULL",
      at,
      checkInId,
    );
    for (const known of this.latest.values())
      if (known.row.checkInId === checkInId && known.row.voidedAt === null)
        known.row = { ...known.row, voidedAt: at };
  }

  /** When the oldest check-in leaves the retention window (ms), or null when nothing is kept. */
  nextExpiry(): number | null {
    const days = this.retention();
    if (!days) return null;
    const oldest = this.sql
      .exec<{ at: string | null }>("SELECT MIN(checked_in_at) AS at FROM checkins")
      .one().at;
    return oldest ? expiryOf(oldest, days) : null;
  }

  /** Deletes the check-ins older than the retention window. */
  expire(nowMs: number): void {
    const days = this.retention();
    if (days) this.sql.exec("DELETE FROM checkins WHERE checked_in_at < ?", retentionCutoff(nowMs, days));
    this.latest.clear();
  }

  /** After a transaction that threw: the retention row and the visits learnt may have been rolled back. */
  forget(): void {
    this.retentionKnown = undefined;
    this.latest.clear();
  }

  private retention(): number | null {
    if (this.retentionKnown !== undefined) return this.retentionKnown;
    const v = this.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = ?", RETENTION_KEY).toArray()[0]?.v;
    this.retentionKnown = v ? Number(v) : null;
    return this.retentionKnown;
  }

  private setRetention(days: number): void {
    this.sql.exec(
      "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      RETENTION_KEY,
      JSON.stringify(days),
    );
    this.retentionKnown = days;
  }
}
