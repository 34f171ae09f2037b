// Issue 17 in a real Chromium: a person sees a relative's request in the person app's Managers view,
// approves it with one button and removes it with another; the relative's code is refused at once.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api, freshResidentId, idTokenFor } from "./helpers.js";
import { type Browser, useServiceAndBrowser } from "./session.js";

let browser: Browser;
let origin = "";

useServiceAndBrowser((s) => {
  origin = s.origin;
  browser = s.browser;
});

describe("person app: managers", () => {
  it("shows a request, approves it, then removes the manager, in Chinese and in English", async () => {
    const sub = `browser-managers-${Date.now()}`;
    const idNumber = freshResidentId();
    // The person applies with a login that asserts their identity.
    const ownToken = (
      await api<{ idToken: string }>(origin, "POST", "/dev/id-token", {
        body: { sub, name: "赵一曼", idType: "resident_id", idNumber },
      })
    ).data.idToken;
    const own = await api<{ personId: string }>(origin, "POST", "/v1/persons", {
      token: ownToken,
      body: { name: "赵一曼", idType: "resident_id", idNumber, phone: "13900002222", relationship: "self" },
    });
    expect(own.status).toBe(201);
    const personId = own.data.personId;

    const relative = await idTokenFor(origin, `${sub}-relative`);
    const asked = await api<{ requestId: string }>(origin, "POST", "/v1/persons", {
      token: relative,
      body: { name: "赵一曼", idType: "resident_id", idNumber, phone: "13900003333", relationship: "child" },
    });
    expect(asked.status).toBe(202);

    const page: Page = await browser.context.newPage();
    await page.addInitScript((tok) => localStorage.setItem("hp.idToken.person", tok), ownToken);
    await page.goto(`${origin}/#managers`);
    const request = page.locator(`#manager-requests [data-manager="${asked.data.requestId}"]`);
    await expect.poll(() => request.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await request.textContent()).toContain("子女");
    await request.getByRole("button", { name: "批准" }).click();

    const manager = page.locator(`#manager-list [data-manager="${asked.data.requestId}"]`);
    await expect.poll(() => manager.isVisible(), { timeout: 15_000 }).toBe(true);
    expect((await api(origin, "GET", `/v1/persons/${personId}/code`, { token: relative })).status).toBe(200);

    // The same screen in English: one clear button.
    await page.locator("#lang").click();
    await expect.poll(() => manager.getByRole("button", { name: "Remove" }).isVisible()).toBe(true);
    await manager.getByRole("button", { name: "Remove" }).click();
    await expect.poll(() => manager.count(), { timeout: 15_000 }).toBe(0);
    expect((await api(origin, "GET", `/v1/persons/${personId}/code`, { token: relative })).status).toBe(403);
    await page.close();
  });
});
