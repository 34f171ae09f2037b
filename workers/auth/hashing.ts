import { encodeBase64url } from "../lib/base64url";

const enc = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

/** A short, stable, non-reversible id for an external value (an account subject, a key). */
export async function hashToId(prefix: string, value: string): Promise<string> {
  return `${prefix}_${encodeBase64url((await sha256(value)).slice(0, 16))}`;
}

/** A random secret with a readable prefix, e.g. `lab_…`; shown once, stored only as its SHA-256. */
export function randomKey(prefix: string): string {
  return `${prefix}_${encodeBase64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function randomId(prefix: string): string {
  return `${prefix}_${encodeBase64url(crypto.getRandomValues(new Uint8Array(12)))}`;
}
