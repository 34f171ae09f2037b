import jsQRModule from "jsqr";
import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { encodeQr } from "../../../qr/encode";
import { qrSvg } from "../../../qr/svg";

// jsqr is CommonJS with an ES-style default export in its types: take whichever shape is handed over.
type JsQR = typeof import("jsqr").default;
const jsQR = ((jsQRModule as unknown as { default?: JsQR }).default ?? jsQRModule) as unknown as JsQR;

/** Rasterises our SVG (a white square and one path of `M x y h n v1 h-n z` runs) at `scale` px a module. */
function rasterise(svg: string, scale = 4) {
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path [^>]*d="([^"]*)"/.exec(svg)?.[1] ?? "";
  const w = side * scale;
  const rgba = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++)
      for (let px = Number(x) * scale; px < (Number(x) + Number(n)) * scale; px++)
        rgba.fill(0, (py * w + px) * 4, (py * w + px) * 4 + 3);
  }
  return { rgba, w };
}

function decode(svg: string): string | undefined {
  const { rgba, w } = rasterise(svg);
  return jsQR(rgba, w, w, { inversionAttempts: "dontInvert" })?.data;
}

const b64url = (n: number, seed: number) => {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let s = "";
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += abc[x % 64];
  }
  return s;
};
/** Shaped like a live code: a compact ES256 JWS of ~385 characters. */
const codeToken = `eyJhbGciOiJFUzI1NiIsImtpZCI6Ij${b64url(43, 1)}.${b64url(224, 2)}.${b64url(86, 3)}`;

describe("qrSvg", () => {
  it.each([
    ["short", "hi"],
    ["numeric", "0123456789"],
    ["a place-code URL", `https://healthpass.test/c/${b64url(200, 4)}`],
    ["a live code", codeToken],
    ["a ~600-character token", b64url(600, 5)],
    ["UTF-8 text", "健康码 · health code ✓"],
  ])("decodes back to the exact text with an independent reader (%s)", (_, text) => {
    expect(decode(qrSvg(text))).toBe(text);
    expect(decode(qrSvg(text, { ecc: "Q" }))).toBe(text);
  });

  it("keeps a live code at a size a phone camera reads at arm's length", () => {
    expect(codeToken.length).toBe(385);
    const qr = encodeQr(codeToken, "M");
    expect(qr.version).toBe(15); // 77 modules a side, 85 with the quiet zone
    expect(encodeQr(b64url(600, 5), "M").version).toBeLessThanOrEqual(20);
    expect(qrSvg(codeToken)).toMatch(/^<svg [^>]*viewBox="0 0 85 85"/);
  });

  it("escapes the colour", () => {
    expect(qrSvg("x", { colour: '"/><script>' })).not.toContain("<script>");
  });
});

describe("encodeQr", () => {
  it("draws exactly the modules of the reference encoder (uqr), mask choice included", () => {
    const texts = ["", "7", "HELLO WORLD 42", codeToken, b64url(600, 6)];
    for (let n = 1; n < 40; n++) texts.push(b64url(n * 17, n));
    for (const text of texts) {
      for (const ecc of ["L", "M", "Q", "H"] as const) {
        const ref = encode(text, { ecc, border: 0 });
        const ours = encodeQr(text, ecc);
        expect([ours.version, ours.mask]).toEqual([ref.version, ref.maskPattern]);
        expect(Array.from(ours.modules)).toEqual(ref.data.flat().map((d) => (d ? 1 : 0)));
      }
    }
  });

  it("refuses text longer than version 40 holds", () => {
    expect(() => encodeQr("x".repeat(3000), "M")).toThrow(RangeError);
  });
});
