import type { z } from "@hono/zod-openapi";
import type { LabResultItem } from "../../schema/wire/labs";
import type { FieldError } from "../http/problems";
import { checkIdentity, type Identity } from "../identity/documents";

/** A lab's clock may run a little ahead of ours; more than this is a wrong date, not skew. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface CheckedResult {
  identity: Identity;
  sampleId: string;
  test: "nucleic_acid" | "antibody";
  result: "positive" | "negative";
  /** UTC, normalised so that the same instant always gives the same stored text and fact. */
  sampledAt: string;
  reportedAt: string;
}

const utc = (iso: string) => new Date(iso).toISOString();

/**
 * Checks what the zod shape cannot: the identity document (check digits, formats) and the order of
 * the times. Every bad item is reported by index so that a lab can fix the batch and resend it whole.
 */
export function checkResults(
  items: readonly z.infer<typeof LabResultItem>[],
  now: Date,
): { ok: true; results: CheckedResult[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const results: CheckedResult[] = [];
  items.forEach((item, i) => {
    const at = (field: string) => `results.${i}.${field}`;
    const id = checkIdentity(item, now);
    if (!id.ok) for (const e of id.errors) errors.push({ path: at(e.path), message: e.message });
    const sampled = Date.parse(item.sampledAt);
    const reported = Date.parse(item.reportedAt);
    if (sampled > reported) errors.push({ path: at("sampledAt"), message: "must not be after reportedAt" });
    if (reported > now.getTime() + CLOCK_SKEW_MS)
      errors.push({ path: at("reportedAt"), message: "must not be in the future" });
    if (id.ok) {
      results.push({
        identity: id.identity,
        sampleId: item.sampleId,
        test: item.test,
        result: item.result,
        sampledAt: utc(item.sampledAt),
        reportedAt: utc(item.reportedAt),
      });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, results };
}

/**
 * Keeps the first of each sample id and counts the rest as duplicates; results whose sample id is
 * already stored for this lab are duplicates too.
 */
export function splitDuplicates<T extends { sampleId: string }>(
  results: readonly T[],
  known: ReadonlySet<string>,
): { fresh: T[]; duplicates: number } {
  const seen = new Set<string>();
  const fresh: T[] = [];
  for (const r of results) {
    if (known.has(r.sampleId) || seen.has(r.sampleId)) continue;
    seen.add(r.sampleId);
    fresh.push(r);
  }
  return { fresh, duplicates: results.length - fresh.length };
}
