import { DurableObject } from "cloudflare:workers";
import type { CheckInRow } from "../schema/checkins";
import { migrateStorage } from "./storage-migrations";
import { covers, expiryOf, retentionCutoff } from "./venue-coverage";
import { VENUE_MIGRATIONS } from "./venue-migrations";
import { VenueStore } from "./venue-store";
import type {
  DailyCount,
  Keyset,
  ManualEntry,
  PersonTally,
  RecordResult,
  VenueDesignation,
  Visit,
} from "./venue-types";

const VENUE_ID_KEY = "venueId";
const RETENTION_KEY = "retentionDays";

/**
 * One object per venue (`VENUE.idFromName(venueId)`): the venue's check-ins, scans and identified
 * manual entries, its per-day counts, its manual-entry rate limit, and the designations covering it
 * with the persons each reached here. Nothing about another venue, nothing global: a railway station
 * at its peak is one object's load, and a province is 500k objects.
 *
 * The Worker is the one reader of configuration: it passes the retention window with every write,
 * and the object keeps the last one for its alarm, which deletes rows older than that window.
 */
export class VenueObject extends DurableObject<Env> {
  private readonly store: VenueStore;
  /** When the alarm is known to be set (or due) here; saves a storage read per check-in. */
  private alarmAt: number | null = null;
  /**
   * The designations in force here, parsed, and the venue id and retention last stored, as this
   * instance wrote or read them (null: not known). A railway station's object takes thousands of
   * check-ins a minute: each would otherwise read and parse the same rows. Only this object writes
   * them, its calls run one at a time and SQL is synchronous; a transaction that throws drops them.
   */
  private designations: VenueDesignation[] | null = null;
  private remembered: { venueId: string | null; retention: string | null } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrateStorage(ctx.storage, VENUE_MIGRATIONS));
    this.store = new VenueStore(ctx.storage.sql);
  }

  /**
   * Records a visit (idempotent by `checkInId`: the same id returns the stored row) and says which
   * designations in force here cover it, having recorded its person as touched by them. The insert
   * and the match run in one transaction, and the fan-out delivers a designation here before paging
   * this venue's visits, so every visit in a window is reached by one or the other (both: one fact).
   */
  async record(row: CheckInRow, retentionDays: number): Promise<RecordResult> {
    return (await this.recordMany([row], retentionDays))[0]!;
  }

  /** `record` for many visits in one call and one transaction (bulk loads; results in order). */
  async recordMany(rows: readonly CheckInRow[], retentionDays: number): Promise<RecordResult[]> {
    const results = this.transaction(() => {
      const inForce = this.inForce();
      return rows.map((row) => {
        this.remember(row.venueId, retentionDays);
        const inserted = this.store.insert(row);
        const stored = inserted ? row : (this.store.find(row.venueId, row.checkInId) ?? row);
        const covering = stored.voidedAt
          ? []
          : inForce.filter((d) => covers(d, stored.checkedInAt, stored.presence));
        for (const d of covering) this.store.touch(d.riskAreaId, [stored.personId]);
        return { row: stored, inserted, covering };
      });
    });
    await this.ensureAlarm();
    return results;
  }

  /** Counts one manual entry in this hour (refused ones too: the limit is what bounds abuse); the new count. */
  async countManualEntry(hour: string): Promise<number> {
    return this.store.countInHour("manual", hour);
  }

  async addManualEntry(venueId: string, entry: ManualEntry, retentionDays: number): Promise<void> {
    this.transaction(() => {
      this.remember(venueId, retentionDays);
      this.store.insertManualEntry(entry);
    });
    await this.ensureAlarm();
  }

  async checkIn(checkInId: string): Promise<CheckInRow | null> {
    const venueId = this.store.kv(VENUE_ID_KEY);
    return venueId ? this.store.find(venueId, checkInId) : null;
  }

  /** An upheld appeal: later designations and pages skip the visit. Idempotent. */
  async voidCheckIn(checkInId: string, at: string): Promise<void> {
    this.store.void(checkInId, at);
  }

  /** Per-day counts since `sinceDay` (Asia/Shanghai date), for the owner. */
  async daily(sinceDay: string): Promise<DailyCount[]> {
    return this.store.daily(sinceDay);
  }

  /** Each person here in the window, folded (a designation's dry run merges these across venues). */
  async tally(from: string, to: string): Promise<PersonTally[]> {
    return this.store.tally(from, to);
  }

  /**
   * The exposure fan-out's step: keeps the designation (so later visits match at check-in), reads one
   * page of visits in its window and records their persons as touched, all in one transaction. A
   * designation already lifted here gives nothing. Safe to repeat (a re-delivered message).
   */
  async exposurePage(
    venueId: string,
    d: VenueDesignation,
    after: Keyset | null,
    limit: number,
  ): Promise<{ visits: Visit[]; next: Keyset | null }> {
    return this.rewriting(() => {
      if (!this.store.kv(VENUE_ID_KEY)) this.store.setKv(VENUE_ID_KEY, venueId);
      if (!this.store.designate(d)) return { visits: [], next: null };
      const visits = this.store.page(venueId, d, after, limit);
      this.store.touch(
        d.riskAreaId,
        visits.map((v) => v.personId),
      );
      const last = visits[visits.length - 1];
      return {
        visits,
        next: visits.length === limit && last ? { at: last.visitedAt, id: last.checkInId } : null,
      };
    });
  }

  /** Keeps a designation covering this venue, so later visits in its window match at check-in. */
  async designate(venueId: string, d: VenueDesignation): Promise<void> {
    this.rewriting(() => {
      if (!this.store.kv(VENUE_ID_KEY)) this.store.setKv(VENUE_ID_KEY, venueId);
      this.store.designate(d);
    });
  }

  /** Lifts the designation here (no later visit matches it) and pages the persons it touched here. */
  async liftPage(
    riskAreaId: string,
    liftedAt: string,
    after: string,
    limit: number,
  ): Promise<{ personIds: string[]; next: string | null }> {
    return this.rewriting(() => {
      this.store.lift(riskAreaId, liftedAt);
      const personIds = this.store.touched(riskAreaId, after, limit);
      const last = personIds[personIds.length - 1];
      return { personIds, next: personIds.length === limit && last ? last : null };
    });
  }

  /** The persons a designation touched here, a page at a time (a lift's count). */
  async touched(riskAreaId: string, after: string, limit: number): Promise<string[]> {
    return this.store.touched(riskAreaId, after, limit);
  }

  /** Retention: deletes what outlived the window, then sets the alarm for the next oldest row. */
  override async alarm(): Promise<void> {
    const days = Number(this.store.kv(RETENTION_KEY));
    if (days > 0) this.rewriting(() => this.store.expire(retentionCutoff(Date.now(), days)));
    this.alarmAt = null;
    await this.ensureAlarm();
  }

  private inForce(): VenueDesignation[] {
    this.designations ??= this.store.inForce();
    return this.designations;
  }

  private remember(venueId: string, retentionDays: number): void {
    this.remembered ??= { venueId: this.store.kv(VENUE_ID_KEY), retention: this.store.kv(RETENTION_KEY) };
    const known = this.remembered;
    if (known.venueId !== venueId) {
      this.store.setKv(VENUE_ID_KEY, venueId);
      known.venueId = venueId;
    }
    if (Number.isInteger(retentionDays) && retentionDays > 0 && known.retention !== String(retentionDays)) {
      this.store.setKv(RETENTION_KEY, String(retentionDays));
      known.retention = String(retentionDays);
    }
  }

  /** A transaction over the designations or kv rows: the cached copies are read again after it. */
  private rewriting<T>(fn: () => T): T {
    try {
      return this.ctx.storage.transactionSync(fn);
    } finally {
      this.designations = null;
      this.remembered = null;
    }
  }

  /** `transactionSync` that forgets the cached rows when it throws (the table was rolled back). */
  private transaction<T>(fn: () => T): T {
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (err) {
      this.designations = null;
      this.remembered = null;
      throw err;
    }
  }

  private async ensureAlarm(): Promise<void> {
    if (this.alarmAt !== null) return;
    const days = Number(this.store.kv(RETENTION_KEY));
    const oldest = this.store.oldest();
    if (!(days > 0) || !oldest) return;
    const current = await this.ctx.storage.getAlarm();
    const next = expiryOf(oldest, days);
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
    this.alarmAt = current === null || current > next ? next : current;
  }
}
