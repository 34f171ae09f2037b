/** A preview counts for a publication for this long after it started. */
export const PREVIEW_VALID_MS = 3_600_000;

export interface PreviewFacts {
  previewId: string;
  digest: string;
  baseVersion: string;
  startedAt: string;
  done: boolean;
  evaluated: number;
  total: number;
  /** Persons whose colour the previewed set changes. */
  changed: number;
}

export interface GateInput {
  threshold: number;
  confirm: boolean;
  /** Digest of the rule set being published. */
  digest: string;
  /** The version in force now. */
  activeVersion: string;
  now: number;
  /** undefined: no previewId was given; null: the given id names no (unexpired) preview. */
  preview: PreviewFacts | null | undefined;
  /** Registered persons counted up to threshold + 1; read only when no previewId is given. */
  directorySize?: number;
}

export type GateVerdict =
  | { ok: true; changed: number | null }
  | { ok: false; reason: string; detail: string; extra: Record<string, unknown> };

const refuse = (reason: string, detail: string, extra: Record<string, unknown> = {}): GateVerdict => ({
  ok: false,
  reason,
  detail,
  extra,
});

/**
 * Whether a rule set may be published now. A publication can move every person, so one that changes
 * more than `threshold` colours needs a finished preview of exactly this set, started within the
 * hour against the version still in force, and an explicit `confirm`. Without a preview the number
 * is unknown; it is bounded only by the directory's size, so a publication without `previewId` is
 * allowed only while at most `threshold` persons are registered.
 */
export function publishGate(g: GateInput): GateVerdict {
  if (g.preview === undefined) {
    if ((g.directorySize ?? Number.POSITIVE_INFINITY) <= g.threshold) return { ok: true, changed: null };
    return refuse(
      "preview_required",
      `More than ${g.threshold} persons are registered, so this rule set could change more colours than RULE_CONFIRM_THRESHOLD (${g.threshold}) allows without a look first: preview it (POST /v1/authority/rule-sets/previews) and publish with ?previewId=…`,
      { threshold: g.threshold, previewRequired: true },
    );
  }
  const p = g.preview;
  if (p === null) return refuse("preview_unknown", "previewId names no preview (or it has expired)");
  if (p.digest !== g.digest)
    return refuse(
      "preview_other_set",
      `Preview ${p.previewId} is of a different rule set: preview this one`,
      {
        previewId: p.previewId,
      },
    );
  if (!p.done)
    return refuse(
      "preview_running",
      `Preview ${p.previewId} has not finished (${p.evaluated} of ${p.total} persons evaluated)`,
      { previewId: p.previewId, evaluated: p.evaluated, total: p.total },
    );
  if (g.now - Date.parse(p.startedAt) > PREVIEW_VALID_MS)
    return refuse("preview_stale", `Preview ${p.previewId} is older than an hour: preview again`, {
      previewId: p.previewId,
    });
  if (p.baseVersion !== g.activeVersion)
    return refuse(
      "preview_base_changed",
      `Preview ${p.previewId} compared against rule set ${p.baseVersion}, but ${g.activeVersion} is in force now: preview again`,
      { previewId: p.previewId },
    );
  if (p.changed > g.threshold && !g.confirm)
    return refuse(
      "confirmation_required",
      `This rule set would change the colour of ${p.changed} persons, more than ${g.threshold}: publish again with ?previewId=${p.previewId}&confirm=true`,
      {
        previewId: p.previewId,
        changedPersons: p.changed,
        threshold: g.threshold,
        confirmationRequired: true,
      },
    );
  return { ok: true, changed: p.changed };
}
