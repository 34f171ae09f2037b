// The authority console's rule-set preview in a real Chromium against the real service (wrangler dev):
// a new version is previewed (progress, change matrix, prefectures, samples) before it can be published.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SHOTS } from "./browser.js";
import { api, freshResidentId, hasHorizontalScroll, idTokenFor } from "./helpers.js";
import { type Browser, useServiceAndBrowser } from "./session.js";

let browser: Browser;
let origin = "";
const shot = (name: string) => join(SHOTS, `${name}.png`);

useServiceAndBrowser((s) => {
  origin = s.origin;
  browser = s.browser;
});

async function closeContactOf15DaysAgo(authority: string, sub: string) {
  const token = await idTokenFor(origin, sub);
  const idNumber = freshResidentId();
  const r = await api<{ personId: string }>(origin, "POST", "/v1/persons", {
    token,
    body: { name: "赵六", idType: "resident_id", idNumber, phone: "13900001111", relationship: "self" },
  });
  expect(r.status).toBe(201);
  const e = await api(origin, "POST", "/v1/authority/events", {
    token: authority,
    body: {
      idType: "resident_id",
      idNumber,
      kind: "close_contact",
      occurredAt: new Date(Date.now() - 15 * 86_400_000).toISOString(),
      reason: "浏览器测试：密接",
    },
  });
  expect(e.status).toBe(202);
  return { token, personId: r.data.personId };
}

/** A rule set whose only rule makes a close contact red for 14 days (the built-in one says 21). */
const fourteenDays = {
  version: "2026.21",
  publishedAt: "2026-11-25T00:00:00Z",
  rules: [
    {
      id: "close-contact",
      version: "2",
      description: { zh: "密切接触者", en: "Close contact of a confirmed case" },
      color: "red",
      trigger: { fact: "authority_event", event: "close_contact" },
      lift: { afterDays: 14, from: "trigger" },
    },
  ],
};

const colorOf = async (p: { token: string; personId: string }) =>
  (await api<{ color: string }>(origin, "GET", `/v1/persons/${p.personId}/status`, { token: p.token })).data
    .color;

describe("authority console: rule-set preview", () => {
  it("previews a 14-day close-contact rule (red → green for two persons), changes nothing, then publishes it", async () => {
    const authority = await idTokenFor(origin, "dev-authority");
    const persons = [
      await closeContactOf15DaysAgo(authority, "browser-preview-1"),
      await closeContactOf15DaysAgo(authority, "browser-preview-2"),
    ];
    for (const p of persons) expect(await colorOf(p)).toBe("red");

    const page = await browser.context.newPage();
    await page.goto(`${origin}/authority#rules`);
    await page.locator("#dev-sub").fill("dev-authority");
    await page.locator("#dev-signin button[type=submit]").click();
    await expect.poll(() => page.locator("#v-rules").isVisible(), { timeout: 10_000 }).toBe(true);
    // The publish button does not exist on screen before a preview.
    expect(await page.locator("#rule-publish").isVisible()).toBe(false);

    await page.locator("#rule-json").fill(JSON.stringify(fourteenDays, null, 2));
    await page.locator("#rule-form button[type=submit]").click();
    await expect
      .poll(() => page.locator("#preview-progress").textContent(), { timeout: 30_000, interval: 250 })
      .toMatch(/预览完成：已评估 2 \/ 2 人/);
    expect(await page.locator("#preview-changed").textContent()).toContain("将改变颜色的人数：2");
    // The change matrix: the red row's green column holds 2, the diagonal is a dash.
    const redRow = page.locator("#preview-matrix tbody tr").first();
    expect(await redRow.locator("th").textContent()).toContain("红码");
    expect(await redRow.locator("td").allTextContents()).toEqual(["—", "0", "2"]);
    expect(await page.locator("#preview-districts tbody").textContent()).toContain("成都市 510100");
    const samples = page.locator("#preview-samples tbody tr");
    expect(await samples.count()).toBe(2);
    const sample = await samples.first().textContent();
    expect(sample).toContain("close-contact");
    expect(sample).toContain("→");
    expect(sample).not.toContain("赵六");
    expect(await page.locator("#rule-publish").isEnabled()).toBe(true);
    expect(await page.locator("#rule-publish").textContent()).toContain("确认发布（2 人将改变颜色）");
    await page.screenshot({ path: shot("authority-rule-preview-zh"), fullPage: true });

    // The preview changed nobody.
    for (const p of persons) expect(await colorOf(p)).toBe("red");

    // In English, the same preview.
    await page.locator("#lang").click();
    await expect
      .poll(() => page.locator("#preview-progress").textContent())
      .toContain("Preview finished: 2 of 2");
    expect(await page.locator("#rule-publish").textContent()).toContain("Publish (2 persons change colour)");
    expect(await page.locator("#preview-matrix tbody tr").first().locator("th").textContent()).toContain(
      "Red",
    );
    await page.screenshot({ path: shot("authority-rule-preview-en"), fullPage: true });

    await page.setViewportSize({ width: 360, height: 740 });
    expect(await hasHorizontalScroll(page), "/authority#rules with a preview at 360 px").toBe(false);

    await page.locator("#rule-publish").click();
    await expect
      .poll(() => page.locator("#rule-result").textContent(), { timeout: 10_000 })
      .toContain("2026.21");
    await expect.poll(() => page.locator("#rule-list").textContent()).toContain("2026.21");
    for (const p of persons)
      await expect.poll(() => colorOf(p), { timeout: 30_000, interval: 250 }).toBe("green");
    await page.close();
  });
});
