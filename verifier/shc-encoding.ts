import { isRecord, MAX_TOKEN_CHARS } from "./compact";

const SINGLE = /^shc:\/(\d+)$/;
const CHUNK = /^shc:\/(\d+)\/(\d+)\/(\d+)$/;

/** SHC numeric mode: each pair of digits is a character code minus 45 (so `-` .. `z`). */
function decodeDigits(digits: string): string | null {
  if (digits.length % 2 !== 0) return null;
  let out = "";
  for (let i = 0; i < digits.length; i += 2) {
    const n = Number(digits.slice(i, i + 2));
    if (n > 77) return null;
    out += String.fromCharCode(n + 45);
  }
  return out;
}

/** `shc:/<digits>` (one QR) → compact JWS; `null` for anything else, including one chunk of several. */
export function decodeShcNumeric(qr: string): string | null {
  if (typeof qr !== "string" || qr.length > MAX_TOKEN_CHARS) return null;
  const match = SINGLE.exec(qr.trim());
  return match ? decodeDigits(match[1]!) : null;
}

/**
 * Joins the deprecated multi-QR form `shc:/<i>/<n>/<digits>`, scanned in any order, into a compact JWS.
 * Every chunk 1..n must be present exactly once with the same n.
 */
export function joinShcChunks(chunks: readonly string[]): string | null {
  if (!Array.isArray(chunks) || chunks.length === 0 || chunks.length > 100) return null;
  const parts = new Map<number, string>();
  let total: number | null = null;
  let length = 0;
  for (const chunk of chunks) {
    if (typeof chunk !== "string") return null;
    length += chunk.length;
    if (length > MAX_TOKEN_CHARS) return null;
    const match = CHUNK.exec(chunk.trim());
    if (!match) return null;
    const index = Number(match[1]);
    const n = Number(match[2]);
    if ((total !== null && n !== total) || index < 1 || index > n || parts.has(index)) return null;
    total = n;
    parts.set(index, match[3]!);
  }
  if (total === null || parts.size !== total) return null;
  let digits = "";
  for (let i = 1; i <= total; i++) digits += parts.get(i);
  return decodeDigits(digits);
}

/** The JWS strings of a `.smart-health-card` file (`{"verifiableCredential": [jws, ...]}`). */
export function shcJwsFromFile(file: unknown): string[] | null {
  let value = file;
  if (typeof file === "string") {
    if (file.length > MAX_TOKEN_CHARS) return null;
    try {
      value = JSON.parse(file);
    } catch {
      return null;
    }
  }
  if (!isRecord(value) || !Array.isArray(value.verifiableCredential)) return null;
  const list = value.verifiableCredential;
  return list.length > 0 && list.every((v) => typeof v === "string") ? (list as string[]) : null;
}

/**
 * Any SHC presentation → the compact JWS: a single `shc:/` QR, a list of chunk QRs, a file (its first
 * credential), or the JWS itself.
 */
export function toShcJws(input: string | readonly string[]): string | null {
  if (Array.isArray(input)) return input.length === 1 ? toShcJws(input[0] as string) : joinShcChunks(input);
  if (typeof input !== "string") return null;
  const text = input.trim();
  if (CHUNK.test(text)) return joinShcChunks([text]);
  if (text.startsWith("shc:/")) return decodeShcNumeric(text);
  if (text.startsWith("{")) return shcJwsFromFile(text)?.[0] ?? null;
  return text;
}
