import { readFileSync } from "node:fs";
import jsQRModule from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";

// jsqr is CommonJS with an ES-style default export in its types: take whichever shape Node hands over.
type JsQR = typeof import("jsqr").default;
const jsQR = ((jsQRModule as unknown as { default?: JsQR }).default ?? jsQRModule) as unknown as JsQR;

export async function api<T = Record<string, unknown>>(
  origin: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; data: T }> {
  const res = await fetch(origin + path, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, data: (text ? JSON.parse(text) : null) as T };
}

export async function idTokenFor(origin: string, sub: string): Promise<string> {
  const r = await api<{ idToken: string }>(origin, "POST", "/dev/id-token", { body: { sub } });
  return r.data.idToken;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let seq = Math.floor(Math.random() * 900);

/** A valid, never-before-used resident identity number (GB 11643 check digit), Chengdu Wuhou. */
export function freshResidentId(): string {
  seq = (seq + 1) % 1000;
  const body = `510107${1970 + (seq % 40)}0${1 + (seq % 9)}1${seq % 10}${String(seq).padStart(3, "0")}`;
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * (WEIGHTS[i] ?? 0), 0);
  return body + "10X98765432"[sum % 11];
}

/** Reads the QR code in a PNG screenshot, as a phone camera would read it off the screen. */
export function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(img.data), img.width, img.height);
  return found?.data ?? null;
}

/** Whether the page can be scrolled sideways (the 360 px check). */
export function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

export function readPng(path: string): Buffer {
  return readFileSync(path);
}
