// The person object's side of the public log: each history entry becomes a `color_change` entry
// with a commitment only the person can open, delivered through the outbox; once sequenced, the
// history entry records `log: {index, nonce}`.

import { canonicalJson, commitment, type LogEntry } from "../verifier/tlog";
import { logPool, submitterOf } from "./log-client";
import type { PersonMeta } from "./person-types";
import type { Fact } from "./rules/facts";
import type { HistoryEntry } from "./rules/transition";

export interface LogOutboxItem {
  kind: "log";
  /** The history entry's version: the person's key for it. */
  version: number;
  /** base64url of 16 random bytes; opens the entry's commitment. Only the person is given it. */
  nonce: string;
  /** The canonical JSON entry. */
  entry: string;
  /** Idempotency key at the sequencer (only its hash is kept there). */
  key: string;
}

export interface LogRef {
  index: number;
  nonce: string;
}

function randomNonce(): { bytes: Uint8Array; text: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { bytes, text: btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") };
}

/** Why the colour changed, as the public may know it. */
function publicCause(
  entry: HistoryEntry,
  facts: readonly Fact[],
): "rule" | "authority_event" | "import" | "init" {
  // importPerson records its creation with the imported facts' ids; init() with none.
  if (entry.cause.kind === "init") return entry.cause.factIds ? "import" : "init";
  if (entry.cause.kind === "fact") {
    const ids = new Set(entry.cause.factIds ?? []);
    if (facts.some((f) => ids.has(f.id) && f.kind === "authority_event")) return "authority_event";
  }
  return "rule";
}

export function logItemFor(meta: PersonMeta, entry: HistoryEntry, facts: readonly Fact[]): LogOutboxItem {
  const nonce = randomNonce();
  const logEntry: LogEntry = {
    v: 1,
    type: "color_change",
    at: entry.at,
    from: entry.from,
    to: entry.to,
    cause: publicCause(entry, facts),
    ruleSetVersion: entry.ruleSetVersion,
    rules: entry.rules.map((r) => ({ rule: r.rule, ruleVersion: r.ruleVersion })),
    prefecture: meta.districtCode ? meta.districtCode.slice(0, 4) : null,
    commitment: commitment(meta.personId, nonce.bytes),
  };
  return {
    kind: "log",
    version: entry.version,
    nonce: nonce.text,
    entry: canonicalJson(logEntry),
    key: `color:${meta.personId}:${entry.version}`,
  };
}

/**
 * Appends the log items and waits for their batch (the pool's, then the sequencer's). Returns the outbox ids done and, for each, the
 * history version and its log reference; items not sequenced yet stay for the next alarm.
 */
export async function deliverLogItems(
  env: Env,
  items: readonly { id: number; item: { kind: string } }[],
): Promise<{ done: number[]; logged: { version: number; log: LogRef }[] }> {
  const logItems = items.filter((i): i is { id: number; item: LogOutboxItem } => i.item.kind === "log");
  if (logItems.length === 0) return { done: [], logged: [] };
  try {
    // Through the person's pool (one call per pool per batch reaches the sequencer), not to it directly.
    const results = await logPool(env, submitterOf(logItems[0]!.item.key)).append(
      logItems.map(({ item }) => ({ key: item.key, entry: item.entry })),
    );
    const done: number[] = [];
    const logged: { version: number; log: LogRef }[] = [];
    results.forEach((r, i) => {
      const { id, item } = logItems[i]!;
      if (r.index === null) return;
      done.push(id);
      logged.push({ version: item.version, log: { index: r.index, nonce: item.nonce } });
    });
    return { done, logged };
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", msg: "outbox log flush failed", error: String(err) }));
    return { done: [], logged: [] };
  }
}
