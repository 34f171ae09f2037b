import { DEFAULT_RULE_SET } from "./default-rule-set";
import type { Evaluation, Reason } from "./engine";
import type { Color } from "./facts";

export interface ColorState {
  color: Color;
  /** Goes up by exactly one on every colour change; it is the `ver` of signed codes. */
  version: number;
  /** When the colour last changed. */
  since: string;
  reasons: Reason[];
  reviewAt: string | null;
  ruleSetVersion: string;
}

export interface ChangeCause {
  kind: "fact" | "time" | "rule_set" | "init";
  factIds?: string[];
}

export interface HistoryEntry {
  /** The version the state has after this change. */
  version: number;
  /** null only on the entry that records the person's creation. */
  from: Color | null;
  to: Color;
  at: string;
  cause: ChangeCause;
  /**
   * The rules that decided: those giving the new colour, or, on a change to green, those whose
   * lifting made it green.
   */
  rules: { rule: string; ruleVersion: string }[];
  ruleSetVersion: string;
  /** The reasons in force after the change (none when green). */
  reasons: Reason[];
  /** Set once the change is in the public log: its index and the nonce opening its commitment. */
  log?: { index: number; nonce: string };
}

export function initialState(at: string, ruleSetVersion: string = DEFAULT_RULE_SET.version): ColorState {
  return { color: "green", version: 1, since: at, reasons: [], reviewAt: null, ruleSetVersion };
}

export function applyEvaluation(
  prev: ColorState,
  ev: Evaluation,
  at: string,
  cause: ChangeCause,
): { state: ColorState; change: HistoryEntry | null } {
  const refreshed = { reasons: ev.reasons, reviewAt: ev.reviewAt, ruleSetVersion: ev.ruleSetVersion };
  // Codes already shown carry `ver`; bumping it on a mere change of wording would mark them stale.
  if (ev.color === prev.color) return { state: { ...prev, ...refreshed }, change: null };

  const version = prev.version + 1;
  const deciding =
    ev.color === "green"
      ? prev.reasons.filter((r) => r.color === prev.color)
      : ev.reasons.filter((r) => r.color === ev.color);
  const change: HistoryEntry = {
    version,
    from: prev.color,
    to: ev.color,
    at,
    cause: { kind: cause.kind, ...(cause.factIds ? { factIds: [...cause.factIds] } : {}) },
    rules: deciding.map((r) => ({ rule: r.rule, ruleVersion: r.ruleVersion })),
    ruleSetVersion: ev.ruleSetVersion,
    reasons: ev.reasons,
  };
  return { state: { color: ev.color, version, since: at, ...refreshed }, change };
}
