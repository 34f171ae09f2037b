// The three web apps in a real Chromium against the real service (wrangler dev, local D1/DO/Queues).
// One service and one browser for the file: starting wrangler dominates the suite's time.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { launch, SHOTS } from "./browser.js";
import { api, decodeQr, freshResidentId, hasHorizontalScroll, idTokenFor } from "./helpers.js";
import { type Browser, useServiceAndBrowser } from "./session.js";

let browser: Browser;
let origin = "";
const shot = (name: string) => join(SHOTS, `${name}.png`);

useServiceAndBrowser((s) => {
  origin = s.origin;
  browser = s.browser;
});

async function devSignIn(page: Page, sub: string) {
  await page.locator("#dev-sub").fill(sub);
  await page.locator("#dev-signin button[type=submit]").click();
}

/** Applies through the person app's form, the way a person would. */
async function applyInPage(page: Page, name: string, idNumber: string) {
  await page.locator("#apply-name").fill(name);
  await page.locator("#apply-idType").selectOption("resident_id");
  await page.locator("#apply-idNumber").fill(idNumber);
  await page.locator("#apply-phone").fill("13800001234");
  await page.locator("#apply-form button[type=submit]").click();
}

/** A person created through the API, for screens that need someone else's code. */
async function personViaApi(sub: string, name: string) {
  const token = await idTokenFor(origin, sub);
  const idNumber = freshResidentId();
  const r = await api<{ personId: string }>(origin, "POST", "/v1/persons", {
    token,
    body: { name, idType: "resident_id", idNumber, phone: "13900001111", relationship: "self" },
  });
  expect(r.status).toBe(201);
  return { token, idNumber, personId: r.data.personId };
}

describe("person app", () => {
  const alice = { sub: "browser-alice", idNumber: freshResidentId() };
  let page: Page;

  it("applies and shows a green code whose QR, read off the screen, verifies", async () => {
    page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    await devSignIn(page, alice.sub);
    // No person yet: the app opens on the application form.
    await expect.poll(() => page.locator("#v-apply").isVisible()).toBe(true);
    await applyInPage(page, "王小明", alice.idNumber);
    const card = page.locator("#code-card");
    await expect.poll(() => card.getAttribute("data-color"), { timeout: 15_000 }).toBe("green");
    await expect.poll(() => page.locator("#qr").isVisible()).toBe(true);
    // Colour never alone: the words and the icon are on screen too; the name is masked.
    expect(await page.locator("#code-words").textContent()).toContain("✓");
    expect(await page.locator("#code-words").textContent()).toContain("绿码");
    const name = await page.locator("#code-name").textContent();
    expect(name).not.toContain("王小明");
    expect(name).toContain("明");
    expect(Number(await page.locator("#countdown").textContent())).toBeGreaterThan(200);
    await page.screenshot({ path: shot("person-code-green"), fullPage: true });

    const qrPng = await page.locator("#qr").screenshot();
    const token = decodeQr(qrPng);
    expect(token, "the QR on screen decodes").toBeTruthy();
    const verified = await api<{ valid: boolean; color: string }>(origin, "POST", "/v1/verify", {
      body: { token },
    });
    expect(verified.data).toMatchObject({ valid: true, color: "green" });
  });

  it("turns red without a reload when a lab posts a positive result", async () => {
    await page.evaluate(() => {
      (window as unknown as { stillSamePage: boolean }).stillSamePage = true;
    });
    const seed = await api<{ labKey: string }>(origin, "GET", "/dev/seed");
    const now = new Date();
    const posted = await api(origin, "POST", "/v1/lab/results", {
      token: seed.data.labKey,
      body: {
        results: [
          {
            sampleId: `browser-${Date.now()}`,
            idType: "resident_id",
            idNumber: alice.idNumber,
            name: "王小明",
            test: "nucleic_acid",
            result: "positive",
            sampledAt: new Date(now.getTime() - 3_600_000).toISOString(),
            reportedAt: now.toISOString(),
          },
        ],
      },
    });
    expect(posted.status).toBe(202);
    await expect
      .poll(() => page.locator("#code-card").getAttribute("data-color"), { timeout: 45_000, interval: 500 })
      .toBe("red");
    expect(await page.locator("#code-words").textContent()).toContain("✕");
    expect(await page.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(
      true,
    );
    await page.screenshot({ path: shot("person-code-red"), fullPage: true });

    await page.locator('a[data-view="status"]').click();
    await expect
      .poll(() => page.locator("#status-history li").count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.locator("#status-color").textContent()).toContain("红码");
    await page.screenshot({ path: shot("person-status"), fullPage: true });

    await page.locator('a[data-view="records"]').click();
    await expect
      .poll(() => page.locator("#results li").first().textContent(), { timeout: 10_000 })
      .toBeTruthy();
    await page.screenshot({ path: shot("person-records"), fullPage: true });
  });

  it("switches between Chinese and English and remembers the choice", async () => {
    await page.goto(`${origin}/#code`);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await page.locator(".brand").textContent()).toBe("健康码");
    await page.locator("#lang").click();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator(".brand").textContent()).toBe("Health code");
    await expect.poll(() => page.locator("#code-words").textContent()).toContain("Red code");
    await page.reload();
    // Remembered, and rendered by the server in English from the first byte.
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator('a[data-view="status"]').textContent()).toBe("Status");
    await page.screenshot({ path: shot("person-code-en"), fullPage: true });
    await page.locator("#lang").click();
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
  });

  it("has no horizontal scroll at 360 px, also in large-text mode", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const view of ["code", "status", "records", "checkin", "apply", "settings"]) {
      await page.goto(`${origin}/#${view}`);
      await page.waitForLoadState("networkidle");
      expect(await hasHorizontalScroll(page), `#${view} at 360 px`).toBe(false);
    }
    await page.goto(`${origin}/#code`);
    await page.locator("#large").click();
    expect(await page.getAttribute("html", "class")).toContain("large");
    await page.waitForLoadState("networkidle");
    expect(await hasHorizontalScroll(page), "large text at 360 px").toBe(false);
    await page.screenshot({ path: shot("person-360-large"), fullPage: true });
    await page.locator("#large").click();
    await page.close();
  });

  it("loads the person app's first screen (signed in, code shown) in under 100 kB compressed", async () => {
    const fresh = await launch();
    try {
      const p = await fresh.context.newPage();
      const token = await idTokenFor(origin, alice.sub);
      // Signed in already (the token is what sign-in stores), so the load includes the code and its QR.
      await p.addInitScript((tok) => localStorage.setItem("hp.idToken.person", tok), token);
      const sizes: { url: string; bytes: number }[] = [];
      p.on("requestfinished", async (req) => {
        const s = await req.sizes().catch(() => null);
        if (s) sizes.push({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize });
      });
      await p.goto(`${origin}/`);
      await expect.poll(() => p.locator("#qr").isVisible(), { timeout: 15_000 }).toBe(true);
      await p.waitForLoadState("networkidle");
      const total = sizes.reduce((s, x) => s + x.bytes, 0);
      console.log(
        `person app first load: ${total} bytes on the wire in ${sizes.length} responses\n${sizes
          .map((x) => `  ${x.bytes}\t${x.url.replace(origin, "")}`)
          .join("\n")}`,
      );
      expect(sizes.some((x) => x.url.endsWith("/static/person.js"))).toBe(true);
      expect(total).toBeLessThan(100_000);
    } finally {
      await fresh.close();
    }
  });
});

describe("venue app", () => {
  it("registers a venue, shows its poster, and answers a typed code with the masked name", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/venue#venues`);
    await devSignIn(page, "browser-venue-owner");
    await page.goto(`${origin}/venue#register`);
    await page.locator("#venue-name").fill("成都市第一人民医院");
    await page.locator("#venue-category").selectOption("hospital");
    await page.locator("#venue-address").fill("成都市武侯区一环路");
    await page.locator("#venue-district").fill("510107");
    await page.locator("#register-form button[type=submit]").click();
    const poster = page.locator("img.poster").first();
    await expect.poll(() => poster.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
        timeout: 10_000,
      })
      .toBe(true);
    await page.screenshot({ path: shot("venue-poster"), fullPage: true });

    // The device key was kept on this device: the scanner works straight away.
    const green = await personViaApi("browser-venue-green", "李四");
    const red = await personViaApi("browser-venue-red", "赵六");
    await api(origin, "POST", "/v1/authority/events", {
      token: await idTokenFor(origin, "dev-authority"),
      body: {
        idType: "resident_id",
        idNumber: red.idNumber,
        kind: "confirmed",
        occurredAt: new Date().toISOString(),
        reason: "browser test",
      },
    });
    await page.goto(`${origin}/venue#scan`);
    const answer = page.locator("#scan-answer");
    const codeOf = async (p: { token: string; personId: string }) =>
      (await api<{ token: string }>(origin, "GET", `/v1/persons/${p.personId}/code`, { token: p.token })).data
        .token;

    await page.locator("#scan-token").fill(await codeOf(green));
    await page.locator("#scan-form button[type=submit]").click();
    await expect.poll(() => answer.getAttribute("data-color"), { timeout: 10_000 }).toBe("green");
    const greenText = (await answer.textContent()) ?? "";
    expect(greenText).toContain("可以通行");
    // The masked name only: never the full name (or any identity number) on a verifier's screen.
    expect(greenText).toContain("李*");
    expect(greenText).not.toContain("李四");
    await page.screenshot({ path: shot("venue-scan-pass"), fullPage: true });

    await expect
      .poll(
        async () =>
          (
            await api<{ color: string }>(origin, "GET", `/v1/persons/${red.personId}/status`, {
              token: red.token,
            })
          ).data.color,
        {
          timeout: 15_000,
        },
      )
      .toBe("red");
    await page.locator("#scan-token").fill(await codeOf(red));
    await page.locator("#scan-form button[type=submit]").click();
    await expect
      .poll(async () => `${await answer.getAttribute("data-color")} ${await answer.textContent()}`, {
        timeout: 10_000,
      })
      .toMatch(/^red /);
    expect(await answer.textContent()).toContain("禁止进入");
    await page.screenshot({ path: shot("venue-scan-deny"), fullPage: true });

    await page.locator("#scan-token").fill("not-a-code");
    await page.locator("#scan-form button[type=submit]").click();
    await expect.poll(() => answer.getAttribute("data-color"), { timeout: 10_000 }).toBe("invalid");

    // Offline verification with the verifier library, when the service offers the signed bundle.
    if ((await api(origin, "GET", "/v1/verifier-bundle")).status === 200) {
      await page.goto(`${origin}/venue#scan`);
      await expect.poll(() => page.locator("#offline").isEnabled(), { timeout: 10_000 }).toBe(true);
      await page.locator("#offline").check();
      await page.locator("#scan-token").fill(await codeOf(green));
      await page.locator("#scan-form button[type=submit]").click();
      await expect.poll(() => answer.textContent(), { timeout: 10_000 }).toContain("离线核验");
      expect(await answer.getAttribute("data-color")).toBe("green");
    } else console.log("PENDING: /v1/verifier-bundle is not served; offline verification not exercised");

    await page.setViewportSize({ width: 360, height: 740 });
    for (const view of ["scan", "lookup", "manual", "venues", "register"]) {
      await page.goto(`${origin}/venue#${view}`);
      await page.waitForLoadState("networkidle");
      expect(await hasHorizontalScroll(page), `/venue#${view} at 360 px`).toBe(false);
    }
    await page.close();
  });
});

describe("authority console", () => {
  it("dry-runs a risk area, shows the count, and confirming turns the exposed person yellow", async (ctx) => {
    const probe = await api(origin, "POST", "/v1/authority/risk-areas", {
      token: await idTokenFor(origin, "dev-authority"),
      body: {},
    });
    if (probe.status === 404) {
      // Reported as pending: the risk-area endpoint is a colleague's and had not landed.
      ctx.skip();
      return;
    }
    const owner = await idTokenFor(origin, "browser-risk-owner");
    const venue = await api<{ venueId: string; placeCode: string }>(origin, "POST", "/v1/venues", {
      token: owner,
      body: { name: "城南农贸市场", category: "market", address: "成都市武侯区", districtCode: "510107" },
    });
    expect(venue.status).toBe(201);
    const visitor = await personViaApi("browser-visitor", "孙七");

    // The visitor checks in through the place-code link a phone camera opens from the poster.
    const person = await browser.context.newPage();
    // A different account from the earlier tests' on this browser profile.
    await person.goto(`${origin}/`);
    await person.evaluate(() => localStorage.clear());
    await person.goto(`${origin}/c/${venue.data.placeCode}`);
    await devSignIn(person, "browser-visitor");
    await expect.poll(() => person.locator("#v-checkin").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await person.locator(".venue-banner").textContent()).toContain("城南农贸市场");
    await person.locator("#checkin-form button[type=submit]").click();
    await expect
      .poll(() => person.locator("#checkin-result").textContent(), { timeout: 10_000 })
      .toContain("城南农贸市场");
    await person.screenshot({ path: shot("person-checkin"), fullPage: true });

    const page = await browser.context.newPage();
    await page.goto(`${origin}/authority#risk`);
    await devSignIn(page, "dev-authority");
    await expect.poll(() => page.locator("#v-risk").isVisible(), { timeout: 10_000 }).toBe(true);
    const local = (d: Date) =>
      new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.locator("#risk-level").selectOption("medium");
    await page.locator("#risk-venues").fill(venue.data.venueId);
    await page.locator("#risk-from").fill(local(new Date(Date.now() - 3_600_000)));
    await page.locator("#risk-to").fill(local(new Date(Date.now() + 3_600_000)));
    await page.locator("#risk-reason").fill("浏览器测试：市场出现病例");
    await page.locator("#risk-form button[type=submit]").click();
    await expect.poll(() => page.locator("#risk-affected").textContent(), { timeout: 10_000 }).toMatch(/1$/);
    await page.screenshot({ path: shot("authority-risk-dry-run"), fullPage: true });
    // The dry run changed nothing.
    const before = await api<{ color: string }>(origin, "GET", `/v1/persons/${visitor.personId}/status`, {
      token: visitor.token,
    });
    expect(before.data.color).toBe("green");

    await page.locator("#risk-confirm").click();
    await expect.poll(() => page.locator("#risk-done").textContent(), { timeout: 10_000 }).toBeTruthy();
    await person.goto(`${origin}/#code`);
    await expect
      .poll(() => person.locator("#code-card").getAttribute("data-color"), { timeout: 45_000, interval: 500 })
      .toBe("yellow");
    expect(await person.locator("#code-words").textContent()).toContain("!");
    await person.screenshot({ path: shot("person-code-yellow"), fullPage: true });

    await page.goto(`${origin}/authority#stats`);
    await expect.poll(() => page.locator("#chart-district svg").count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: shot("authority-stats"), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    for (const view of ["stats", "risk", "events", "labs", "rules", "appeals", "imports"]) {
      await page.goto(`${origin}/authority#${view}`);
      await page.waitForLoadState("networkidle");
      expect(await hasHorizontalScroll(page), `/authority#${view} at 360 px`).toBe(false);
    }
    await page.close();
    await person.close();
  });
});
