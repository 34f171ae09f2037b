import { base64url } from "jose";

/**
 * Scanners feed whatever a camera decoded straight in here, so this must never throw and must bound its
 * work: a SMART Health Card file is a few KB, our codes a few hundred bytes.
 */
export const MAX_TOKEN_CHARS = 256 * 1024;

export interface CompactJws {
  header: Record<string, unknown>;
  /** Raw payload bytes (still deflated when the header says `zip: "DEF"`). */
  payload: Uint8Array;
  signature: Uint8Array;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeSegment(segment: string): Uint8Array | null {
  if (!B64URL.test(segment) || segment.length % 4 === 1) return null;
  try {
    return base64url.decode(segment);
  } catch {
    return null;
  }
}

/** Parses a compact JWS without verifying it; `null` for anything that is not one. */
export function parseCompact(token: unknown): CompactJws | null {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  if (h.length === 0) return null;
  const headerBytes = decodeSegment(h);
  const payload = decodeSegment(p);
  const signature = decodeSegment(s);
  if (!headerBytes || !payload || !signature) return null;
  const header = parseJsonObject(headerBytes);
  if (!header || typeof header.alg !== "string") return null;
  return { header, payload, signature };
}

/** UTF-8 JSON object or `null`: arrays and primitives are not claim sets or headers. */
export function parseJsonObject(bytes: Uint8Array | string): Record<string, unknown> | null {
  try {
    const text =
      typeof bytes === "string"
        ? bytes
        : new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
