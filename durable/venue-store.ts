import { type CheckInRow, CONFIRMED_PRESENCES } from "../schema/checkins";
import { shanghaiDate } from "../workers/lib/shanghai";
import { type CheckInColumns, checkInFromColumns } from "./checkin-columns";
import type { DailyCount, Keyset, ManualEntry, PersonTally, VenueDesignation, Visit } from "./venue-types";

// Tables: venue migration 1 (durable/venue-migrations.ts). Synchronous; the object runs them inside
// its transactions.

const CONFIRMED_SQL = CONFIRMED_PRESENCES.map((p) => `'${p}'`).join(", ");

interface CheckInSqlRow extends CheckInColumns {
  person_id: string;
}

const toRow = (venueId: string, r: CheckInSqlRow): CheckInRow => checkInFromColumns(r, venueId, r.person_id);

/** Runs a write to its end and says how many rows it wrote (0: nothing, e.g. a conflict). */
function written(sql: SqlStorage, query: string, ...bindings: SqlStorageValue[]): number {
  const cursor = sql.exec(query, ...bindings);
  cursor.toArray();
  return cursor.rowsWritten;
}

export class VenueStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Inserts the visit unless its id exists; its trigger (migration 2) counts it for the day. True when inserted. */
  insert(row: CheckInRow): boolean {
    const res = written(
      this.sql,
      `INSERT INTO checkins (check_in_id, person_id, kind, checked_in_at, color, distance_m, device_key_id,
         entry_id, presence, venue_name, code_iat, voided_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (check_in_id) DO NOTHING`,
      row.checkInId,
      row.personId,
      row.kind,
      row.checkedInAt,
      row.color,
      row.distanceM,
      row.deviceKeyId,
      row.entryId,
      row.presence,
      row.venueName,
      row.codeIat,
    );
    return res > 0;
  }

  find(venueId: string, checkInId: string): CheckInRow | null {
    const r = this.sql
      .exec<CheckInSqlRow>("SELECT * FROM checkins WHERE check_in_id = ?", checkInId)
      .toArray()[0];
    return r ? toRow(venueId, r) : null;
  }

  void(checkInId: string, at: string): void {
    this.sql.exec(
      "UPDATE checkins SET voided_at = ? WHERE check_in_id = ? AND voided_at IS NULL",
      at,
      checkInId,
    );
  }

  /**
   * One page of the visits in the window after `after`, by (checked_in_at, check_in_id). Voided
   * visits are skipped, and unconfirmed ones when the designation excludes them (as `covers`).
   */
  page(
    venueId: string,
    window: { from: string; to: string; excludeUnconfirmed: boolean },
    after: Keyset | null,
    limit: number,
  ): Visit[] {
    return this.sql
      .exec<CheckInSqlRow>(
        `SELECT * FROM checkins
         WHERE checked_in_at >= ?1 AND checked_in_at <= ?2
           AND (checked_in_at > ?3 OR (checked_in_at = ?3 AND check_in_id > ?4))
           AND voided_at IS NULL AND (?5 = 0 OR presence IN (${CONFIRMED_SQL}))
         ORDER BY checked_in_at, check_in_id LIMIT ?6`,
        window.from,
        window.to,
        after?.at ?? "",
        after?.id ?? "",
        window.excludeUnconfirmed ? 1 : 0,
        limit,
      )
      .toArray()
      .map((r) => ({
        checkInId: r.check_in_id,
        personId: r.person_id,
        venueId,
        venueName: r.venue_name ?? "",
        visitedAt: r.checked_in_at,
        presence: r.presence as CheckInRow["presence"],
        kind: r.kind as CheckInRow["kind"],
      }));
  }

  /** Each person with a (non-voided) visit in the window, folded as `tallyAffected` needs it. */
  tally(from: string, to: string): PersonTally[] {
    return this.sql
      .exec<{ person_id: string; confirmed: number; manual: number; scan: number; other: number }>(
        `SELECT person_id,
           MAX(presence IN (${CONFIRMED_SQL})) AS confirmed,
           MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind = 'manual') AS manual,
           MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind = 'scan') AS scan,
           MAX(presence NOT IN (${CONFIRMED_SQL}) AND kind NOT IN ('manual', 'scan')) AS other
         FROM checkins WHERE checked_in_at >= ? AND checked_in_at <= ? AND voided_at IS NULL
         GROUP BY person_id`,
        from,
        to,
      )
      .toArray()
      .map((r) => ({
        personId: r.person_id,
        confirmed: r.confirmed === 1,
        manual: r.manual === 1,
        scan: r.scan === 1,
        other: r.other === 1,
      }));
  }

  daily(sinceDay: string): DailyCount[] {
    return this.sql
      .exec<{ day: string; kind: string; color: string; n: number }>(
        "SELECT day, kind, color, n FROM daily_counts WHERE day >= ? ORDER BY day, kind, color",
        sinceDay,
      )
      .toArray()
      .map((r) => ({ ...r, color: r.color === "none" ? null : r.color }));
  }

  insertManualEntry(e: ManualEntry): void {
    this.sql.exec(
      `INSERT INTO manual_entries (entry_id, device_key_id, name_enc, phone_enc, person_id, entered_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id) DO NOTHING`,
      e.entryId,
      e.deviceKeyId,
      e.nameEnc,
      e.phoneEnc,
      e.personId,
      e.enteredAt,
    );
  }

  /** Counts one action of the scope in this hour; the new count. Older hours are dropped. */
  countInHour(scope: string, hour: string): number {
    this.sql.exec("DELETE FROM hour_counts WHERE hour < ?", hour);
    return this.sql
      .exec<{ n: number }>(
        `INSERT INTO hour_counts (scope, hour, n) VALUES (?, ?, 1)
         ON CONFLICT (scope, hour) DO UPDATE SET n = n + 1 RETURNING n`,
        scope,
        hour,
      )
      .one().n;
  }

  /** Keeps the designation unless it is known already (a lift recorded first is not undone). */
  designate(d: VenueDesignation): boolean {
    const row = this.sql
      .exec<{ lifted_at: string | null }>(
        "SELECT lifted_at FROM designations WHERE risk_area_id = ?",
        d.riskAreaId,
      )
      .toArray()[0];
    if (row) return row.lifted_at === null;
    this.sql.exec(
      "INSERT INTO designations (risk_area_id, body) VALUES (?, ?)",
      d.riskAreaId,
      JSON.stringify(d),
    );
    return true;
  }

  lift(riskAreaId: string, at: string): void {
    this.sql.exec(
      `INSERT INTO designations (risk_area_id, body, lifted_at) VALUES (?, '{}', ?)
       ON CONFLICT (risk_area_id) DO UPDATE SET lifted_at = COALESCE(lifted_at, excluded.lifted_at)`,
      riskAreaId,
      at,
    );
  }

  inForce(): VenueDesignation[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM designations WHERE lifted_at IS NULL")
      .toArray()
      .map((r) => JSON.parse(r.body) as VenueDesignation);
  }

  touch(riskAreaId: string, personIds: readonly string[]): void {
    for (const id of new Set(personIds))
      this.sql.exec(
        "INSERT INTO touched (risk_area_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        riskAreaId,
        id,
      );
  }

  touched(riskAreaId: string, after: string, limit: number): string[] {
    return this.sql
      .exec<{ person_id: string }>(
        "SELECT person_id FROM touched WHERE risk_area_id = ? AND person_id > ? ORDER BY person_id LIMIT ?",
        riskAreaId,
        after,
        limit,
      )
      .toArray()
      .map((r) => r.person_id);
  }

  /** The oldest visit or entry kept, ISO (null: none). */
  oldest(): string | null {
    const r = this.sql
      .exec<{ at: string | null }>(
        `SELECT MIN(at) AS at FROM (SELECT MIN(checked_in_at) AS at FROM checkins
           UNION ALL SELECT MIN(entered_at) FROM manual_entries)`,
      )
      .one();
    return r.at;
  }

  /**
   * Deletes what is older than `cutoff`: visits, manual entries, day counts, and designations lifted
   * before it with the persons they touched (an unlifted designation keeps them: its lift needs them).
   */
  expire(cutoff: string): number {
    const visits = written(this.sql, "DELETE FROM checkins WHERE checked_in_at < ?", cutoff);
    const entries = written(this.sql, "DELETE FROM manual_entries WHERE entered_at < ?", cutoff);
    this.sql.exec("DELETE FROM daily_counts WHERE day < ?", shanghaiDate(new Date(cutoff)));
    this.sql.exec(
      `DELETE FROM touched WHERE risk_area_id IN (SELECT risk_area_id FROM designations WHERE lifted_at < ?)`,
      cutoff,
    );
    this.sql.exec("DELETE FROM designations WHERE lifted_at < ?", cutoff);
    return visits + entries;
  }

  kv(k: string): string | null {
    return this.sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = ?", k).toArray()[0]?.v ?? null;
  }

  setKv(k: string, v: string): void {
    this.sql.exec("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }
}
