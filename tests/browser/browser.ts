import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

// Flags for a closed network: no component updates, sync or QUIC probes leaving the machine.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const SHOTS = join(process.cwd(), "test-results", "browser");
mkdirSync(SHOTS, { recursive: true });

/** A browser with a fresh profile (no cookies, storage or cache from an earlier run). */
export async function launch(
  opts: { locale?: string } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "healthpass-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ARGS,
    locale: opts.locale ?? "zh-CN",
    viewport: { width: 412, height: 915 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
