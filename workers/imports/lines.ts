import { isDistrictCode } from "../../schema/districts";
import type { Color } from "../../schema/vocabulary";
import { ImportLineSchema } from "../../schema/wire/imports";
import { fieldErrors } from "../http/validation";
import { checkIdentity, type Identity } from "../identity/documents";

export interface ImportLine {
  /** 1-based line number within the body. */
  line: number;
  identity: Identity;
  name: string;
  phone?: string;
  color: Color;
  reason: string;
  /** Canonical UTC form, so the same moment written with another offset is the same line. */
  since: string;
  source: string;
  districtCode: string | null;
}

export interface ParsedImport {
  lines: ImportLine[];
  rejected: { line: number; message: string }[];
  /** Non-blank lines seen. */
  total: number;
}

/** `2026-11-01T08:00:00+08:00` → `2026-11-01T00:00:00Z` (milliseconds kept only when set). */
export function canonicalTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(".000Z", "Z");
}

/**
 * Parses and validates an NDJSON body. Each line stands alone: a bad line is reported with its
 * number and a message naming the field (never echoing the line, which may hold an identity number)
 * and the others go ahead. Blank lines are skipped but still counted in the numbering, so the
 * numbers match what an editor shows.
 */
export function parseImport(body: string, now: Date = new Date()): ParsedImport {
  const lines: ImportLine[] = [];
  const rejected: ParsedImport["rejected"] = [];
  let total = 0;
  const rows = body.split("\n");
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  rows.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() === "") return;
    total++;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      rejected.push({ line, message: "not a JSON object" });
      return;
    }
    if (!json || typeof json !== "object" || Array.isArray(json)) {
      rejected.push({ line, message: "not a JSON object" });
      return;
    }
    const parsed = ImportLineSchema.safeParse(json);
    if (!parsed.success) {
      rejected.push({
        line,
        message: fieldErrors(parsed.error)
          .map((e) => `${e.path || "line"}: ${e.message}`)
          .join("; "),
      });
      return;
    }
    const v = parsed.data;
    const check = checkIdentity(v, now);
    if (!check.ok) {
      rejected.push({ line, message: check.errors.map((e) => `${e.path}: ${e.message}`).join("; ") });
      return;
    }
    if (Date.parse(v.since) > now.getTime()) {
      rejected.push({ line, message: "since: must not be in the future" });
      return;
    }
    const identity = check.identity;
    const address = identity.idType === "resident_id" ? identity.idNumber.slice(0, 6) : "";
    lines.push({
      line,
      identity,
      name: v.name,
      ...(v.phone ? { phone: v.phone } : {}),
      color: v.color,
      reason: v.reason,
      since: canonicalTime(v.since),
      source: v.source,
      districtCode: address && isDistrictCode(address) ? address : null,
    });
  });
  return { lines, rejected, total };
}

/** What makes two lines the same line: the same person, source system and since. */
export const lineKey = (personId: string, source: string, since: string) =>
  `${personId}\n${source}\n${since}`;
