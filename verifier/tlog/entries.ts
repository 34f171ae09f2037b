// Log entries: canonical JSON (keys sorted at every depth, UTF-8, no spaces). No identity number, name
// or personId ever goes in: a colour change carries a commitment only its person can open.

import { concat, utf8 } from "./bytes";
import { sha256 } from "./sha256";

type Color = "green" | "yellow" | "red";

export type LogEntry =
  | {
      v: 1;
      type: "color_change";
      at: string;
      from: Color | null;
      to: Color;
      cause: "rule" | "authority_event" | "import" | "init";
      ruleSetVersion: string;
      rules: { rule: string; ruleVersion: string }[];
      prefecture: string | null;
      commitment: string;
    }
  | { v: 1; type: "authority_event"; at: string; kind: string; reasonSha256: string; actor: string }
  | {
      v: 1;
      type: "risk_area";
      at: string;
      areaId: string;
      districtCode: string | null;
      venues: number;
      level: string;
      reasonSha256: string;
      actor: string;
    }
  | { v: 1; type: "risk_area_lifted"; at: string; areaId: string; reasonSha256: string; actor: string }
  | { v: 1; type: "rule_set"; at: string; version: string; sha256: string; actor: string };

export type LogEntryType = LogEntry["type"];

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("non-finite number");
    if (value === undefined) throw new Error("undefined has no JSON form");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export const encodeEntry = (entry: LogEntry): Uint8Array => utf8(canonicalJson(entry));

export function decodeEntry(bytes: Uint8Array): LogEntry | null {
  try {
    const parsed = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
    ) as LogEntry;
    return parsed && typeof parsed === "object" && parsed.v === 1 && typeof parsed.type === "string"
      ? parsed
      : null;
  } catch {
    return null;
  }
}

/** base64url(SHA-256(personId || nonce)): binds an entry to a person without naming them. */
export function commitment(personId: string, nonce: Uint8Array): string {
  const digest = sha256(concat(utf8(personId), nonce));
  let binary = "";
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
