// The person object's side of the statistics: each change of the (district, colour) the person is
// counted under becomes a numbered `count` outbox item, delivered to the district counters
// (durable/district-counter.ts), which are idempotent by (person, seq).

import type { Color } from "../schema/vocabulary";
import { shanghaiDate } from "../workers/lib/shanghai";
import { type CountDelivery, counterName } from "./counter-types";
import type { PersonMeta } from "./person-types";

export interface CountOutboxItem {
  kind: "count";
  personId: string;
  /** 1, 2, ... per person: the counters' idempotency and ordering key. */
  seq: number;
  /** The day (Asia/Shanghai) it took effect. */
  day: string;
  color: Color;
  /** The counter the person is counted in from now on. */
  counter: string;
  /** The counter the person leaves (a move of district), or null. */
  left: string | null;
}

interface Counted {
  seq: number;
  counter: string;
  color: Color;
}

/** False only for a person created before the district counters (nothing sent for them yet). */
export const hasBeenCounted = (sql: SqlStorage): boolean =>
  sql.exec("SELECT 1 FROM kv WHERE k = 'counted'").toArray().length > 0;

/**
 * Inside the person's transaction, after the state is saved: the item to send when the counted
 * district or colour changed (null when neither did, e.g. a new version with the same colour).
 */
export function countItemFor(
  sql: SqlStorage,
  meta: PersonMeta,
  color: Color,
  at: string,
): CountOutboxItem | null {
  const row = sql.exec<{ v: string }>("SELECT v FROM kv WHERE k = 'counted'").toArray()[0];
  const prev = row ? (JSON.parse(row.v) as Counted) : null;
  const counter = counterName(meta.districtCode);
  if (prev && prev.counter === counter && prev.color === color) return null;
  const next: Counted = { seq: (prev?.seq ?? 0) + 1, counter, color };
  sql.exec(
    "INSERT INTO kv (k, v) VALUES ('counted', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
    JSON.stringify(next),
  );
  return {
    kind: "count",
    personId: meta.personId,
    seq: next.seq,
    day: shanghaiDate(new Date(at)),
    color,
    counter,
    left: prev && prev.counter !== counter ? prev.counter : null,
  };
}

/** Sends the count items to their counters in parallel; returns the outbox ids every counter took. */
export async function deliverCountItems(
  env: Env,
  items: readonly { id: number; item: { kind: string } }[],
): Promise<number[]> {
  const counts = items.filter((i): i is { id: number; item: CountOutboxItem } => i.item.kind === "count");
  if (counts.length === 0) return [];
  const byCounter = new Map<string, { ids: number[]; deliveries: CountDelivery[] }>();
  const push = (counter: string, id: number, d: CountDelivery) => {
    const g = byCounter.get(counter) ?? { ids: [], deliveries: [] };
    g.ids.push(id);
    g.deliveries.push(d);
    byCounter.set(counter, g);
  };
  for (const { id, item } of counts) {
    const base = { personId: item.personId, seq: item.seq, day: item.day };
    push(item.counter, id, { ...base, color: item.color });
    if (item.left) push(item.left, id, { ...base, color: null });
  }
  const failed = new Set<number>();
  await Promise.all(
    [...byCounter].map(async ([counter, g]) => {
      try {
        await env.DISTRICT_COUNTER.getByName(counter).apply(counter, g.deliveries);
      } catch (err) {
        for (const id of g.ids) failed.add(id);
        console.error(
          JSON.stringify({ level: "warn", msg: "outbox count flush failed", error: String(err) }),
        );
      }
    }),
  );
  return counts.map((c) => c.id).filter((id) => !failed.has(id));
}
