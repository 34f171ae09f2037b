// One service (wrangler dev) and one Chromium for a test file: starting wrangler dominates the
// suite's time, so a file shares them across its tests.
import { afterAll, beforeAll } from "vitest";
import { launch } from "./browser.js";
import { type Service, startService } from "./service.js";

export type Browser = Awaited<ReturnType<typeof launch>>;

/** Starts both before the file's tests and stops them after; `ready` receives them once started. */
export function useServiceAndBrowser(
  ready: (s: { service: Service; origin: string; browser: Browser }) => void,
) {
  let service: Service | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    service = await startService();
    browser = await launch();
    ready({ service, origin: service.origin, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
}
