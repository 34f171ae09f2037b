// The person app draws the QR itself, its modules in the code's colour (issue 16): for green, yellow
// and red, the QR read off a screenshot must decode to a code that verifies with that colour, and be
// drawn in that colour (not black) at a contrast with white of at least 4.5:1. (jsQR on the same
// rasterised code at 3–4 px a module fails with the lighter amber of the card's border, #e0a800, 2.1:1.)
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { api, decodeQr, freshResidentId, idTokenFor } from "./helpers.js";
import { type Browser, useServiceAndBrowser } from "./session.js";

let browser: Browser;
let origin = "";
useServiceAndBrowser((s) => {
  origin = s.origin;
  browser = s.browser;
});

type Rgb = [number, number, number];

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The median colour of the QR's dark modules in a screenshot (pixels well away from white). */
function inkOf(png: Buffer): Rgb {
  const { data } = PNG.sync.read(png);
  const dark: Rgb[] = [];
  for (let i = 0; i < data.length; i += 4) {
    const px: Rgb = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (luminance(px) < 0.4) dark.push(px);
  }
  const mid = (k: 0 | 1 | 2) => dark.map((p) => p[k]).sort((a, b) => a - b)[dark.length >> 1]!;
  return [mid(0), mid(1), mid(2)];
}

const hueIs: Record<string, (c: Rgb) => boolean> = {
  green: ([r, g, b]) => g > r + 40 && g > b + 40,
  yellow: ([r, g, b]) => r > b + 80 && g > b + 60 && r >= g,
  red: ([r, g, b]) => r > g + 80 && r > b + 80,
};

describe("the person app's QR in the code's colour", () => {
  it("decodes for green, yellow and red, drawn in that colour with ≥ 4.5:1 contrast, words and icon beside it", async () => {
    const idNumber = freshResidentId();
    const sub = `browser-colours-${idNumber}`;
    const token = await idTokenFor(origin, sub);
    const applied = await api<{ personId: string }>(origin, "POST", "/v1/persons", {
      token,
      body: { name: "陈小红", idType: "resident_id", idNumber, phone: "13900002222", relationship: "self" },
    });
    expect(applied.status).toBe(201);
    const { personId } = applied.data;
    const authority = await idTokenFor(origin, "dev-authority");

    const page = await browser.context.newPage();
    await page.addInitScript((tok) => localStorage.setItem("hp.idToken.person", tok), token);
    const measured: Record<string, unknown> = {};
    for (const [color, event, icon] of [
      ["green", null, "✓"],
      ["yellow", "secondary_contact", "!"],
      ["red", "confirmed", "✕"],
    ] as const) {
      if (event) {
        const posted = await api(origin, "POST", "/v1/authority/events", {
          token: authority,
          body: {
            idType: "resident_id",
            idNumber,
            kind: event,
            occurredAt: new Date().toISOString(),
            reason: "browser test",
          },
        });
        expect(posted.status, JSON.stringify(posted.data)).toBeLessThan(300);
        await expect
          .poll(
            async () =>
              (await api<{ color: string }>(origin, "GET", `/v1/persons/${personId}/status`, { token })).data
                .color,
            { timeout: 15_000 },
          )
          .toBe(color);
      }
      await page.goto(`${origin}/#code`);
      await expect
        .poll(() => page.locator("#code-card").getAttribute("data-color"), { timeout: 15_000 })
        .toBe(color);
      await expect.poll(() => page.locator("#qr").isVisible()).toBe(true);
      expect(await page.locator("#code-words").textContent()).toContain(icon);

      const png = await page.locator("#qr").screenshot();
      const read = decodeQr(png);
      expect(read, `the ${color} QR on screen decodes`).toBeTruthy();
      const verified = await api<{ valid: boolean; color: string }>(origin, "POST", "/v1/verify", {
        body: { token: read },
      });
      expect(verified.data).toMatchObject({ valid: true, color });

      const ink = inkOf(png);
      const contrast = 1.05 / (luminance(ink) + 0.05);
      measured[color] = { ink, contrast: Number(contrast.toFixed(2)) };
      expect(hueIs[color]!(ink), `${color} modules drawn in ${ink}`).toBe(true);
      expect(contrast).toBeGreaterThanOrEqual(4.5);
    }
    console.log(`QR ink measured off the screen: ${JSON.stringify(measured)}`);
    await page.close();
  });
});
