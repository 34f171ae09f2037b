import { lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { colorChanges, colorSnapshots } from "../schema/d1/colors";
import { log } from "../workers/lib/log";
import { sendToNotifyQueues } from "../workers/lib/notify-queues";
import { shardFor } from "../workers/lib/shards";
import type { CountOutboxItem } from "./count-items";
import type { LogOutboxItem } from "./log-items";
import { revokePaperOnColor } from "./paper-revocation";
import type { Notice, PersonMeta } from "./person-types";
import type { ColorState, HistoryEntry } from "./rules/transition";

/**
 * Side effects of a transition, written in the same storage transaction as the transition and
 * delivered afterwards (retried by alarm), so a D1 or queue outage never loses or blocks a change.
 */
export type OutboxItem =
  | {
      kind: "snapshot";
      personId: string;
      districtCode: string | null;
      color: ColorState["color"];
      version: number;
      since: string;
      change: Pick<HistoryEntry, "version" | "from" | "to" | "at" | "rules" | "ruleSetVersion"> | null;
    }
  | {
      kind: "notify";
      personId: string;
      color: ColorState["color"];
      previousColor: ColorState["color"] | null;
      at: string;
    }
  | { kind: "notice"; personId: string; notice: Notice }
  /** The colour turned yellow or red: the paper codes printed before are revoked (durable/paper-revocation.ts). */
  | { kind: "revoke_paper"; personId: string; version: number; color: "yellow" | "red"; at: string }
  // Delivered by durable/log-items.ts (the public log), not by flushOutbox.
  | LogOutboxItem
  // Delivered by durable/count-items.ts (the district counters), not by flushOutbox.
  | CountOutboxItem;

export function outboxItemsFor(
  meta: PersonMeta,
  state: ColorState,
  change: HistoryEntry | null,
): OutboxItem[] {
  const items: OutboxItem[] = [
    {
      kind: "snapshot",
      personId: meta.personId,
      districtCode: meta.districtCode,
      color: state.color,
      version: state.version,
      since: state.since,
      change: change && {
        version: change.version,
        from: change.from,
        to: change.to,
        at: change.at,
        rules: change.rules,
        ruleSetVersion: change.ruleSetVersion,
      },
    },
  ];
  if (change && change.from !== change.to && change.to !== "green") {
    items.push({
      kind: "revoke_paper",
      personId: meta.personId,
      version: change.version,
      color: change.to,
      at: change.at,
    });
  }
  if (change?.from) {
    items.push({
      kind: "notify",
      personId: meta.personId,
      color: change.to,
      previousColor: change.from,
      at: change.at,
    });
  }
  return items;
}

/**
 * Delivers what it can; returns the ids delivered. The rest stay for the next alarm. The three kinds
 * go out side by side: none depends on another, and the person is told of a change without waiting
 * on two D1 round trips (or on D1 failing).
 */
export async function flushOutbox(env: Env, items: { id: number; item: OutboxItem }[]): Promise<number[]> {
  const done = await Promise.all([
    flushSnapshots(env, items),
    flushPaperRevocations(env, items),
    flushNotifications(env, items),
  ]);
  return done.flat();
}

async function flushSnapshots(env: Env, items: { id: number; item: OutboxItem }[]): Promise<number[]> {
  const snapshots = items.filter((i) => i.item.kind === "snapshot");
  if (snapshots.length === 0) return [];
  try {
    // Every snapshot of one object is the same person's: one shard, one batch.
    const personId = snapshots.flatMap(({ item }) => (item.kind === "snapshot" ? [item.personId] : []))[0]!;
    const db = drizzle(shardFor(env, personId));
    const stmts = snapshots.flatMap(({ item }) => {
      if (item.kind !== "snapshot") return [];
      const upsert = db
        .insert(colorSnapshots)
        .values({
          personId: item.personId,
          color: item.color,
          version: item.version,
          since: item.since,
          districtCode: item.districtCode,
          updatedAt: new Date().toISOString(),
        })
        .onConflictDoUpdate({
          target: colorSnapshots.personId,
          set: {
            color: item.color,
            version: item.version,
            since: item.since,
            districtCode: item.districtCode,
          },
          // An older snapshot delivered late must not overwrite a newer one.
          setWhere: lt(colorSnapshots.version, item.version),
        });
      const change = item.change
        ? [
            db
              .insert(colorChanges)
              .values({
                personId: item.personId,
                version: item.change.version,
                fromColor: item.change.from,
                toColor: item.change.to,
                at: item.change.at,
                rules: JSON.stringify(item.change.rules),
                ruleSetVersion: item.change.ruleSetVersion,
                districtCode: item.districtCode,
              })
              .onConflictDoNothing(),
          ]
        : [];
      return [upsert, ...change];
    });
    await db.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    return snapshots.map((s) => s.id);
  } catch (err) {
    log("warn", "outbox snapshot flush failed", { error: String(err) });
    return [];
  }
}

async function flushPaperRevocations(env: Env, items: { id: number; item: OutboxItem }[]): Promise<number[]> {
  const done: number[] = [];
  for (const { id, item } of items) {
    if (item.kind !== "revoke_paper") continue;
    try {
      await revokePaperOnColor(env, item);
      done.push(id);
    } catch (err) {
      log("warn", "outbox paper revocation failed", { error: String(err) });
    }
  }
  return done;
}

async function flushNotifications(env: Env, items: { id: number; item: OutboxItem }[]): Promise<number[]> {
  const notifications = items.filter((i) => i.item.kind === "notify" || i.item.kind === "notice");
  if (notifications.length === 0) return [];
  try {
    await sendToNotifyQueues(
      env,
      notifications.map(({ item }) => item as { personId: string }),
    );
    return notifications.map((n) => n.id);
  } catch (err) {
    log("warn", "outbox notify flush failed", { error: String(err) });
    return [];
  }
}
