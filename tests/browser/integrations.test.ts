// Chromium against outside parties run on this machine: sign-in through a real OpenID provider
// (the certified `oidc-provider`, on 127.0.0.1), a push message handed to the service worker through
// the DevTools protocol (ServiceWorker.deliverPushMessage, what a push service's delivery triggers),
// the full API reference at /docs from our own assets, and the authority's 30-day chart at 360 px.
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, SHOTS } from "./browser.js";
import { api, freshResidentId, idTokenFor } from "./helpers.js";
import { type Service, startService } from "./service.js";

const CLIENT_ID = "healthpass-browser-test";
const shot = (name: string) => join(SHOTS, `${name}.png`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

let service: Service;
let browser: { context: BrowserContext; close(): Promise<void> };
let idp: Server | undefined;
let issuer = "";

beforeAll(async () => {
  const idpPort = await freePort();
  issuer = `http://127.0.0.1:${idpPort}`;
  // The service trusts the provider as an operator would configure it: issuer, audience (the
  // client id), algorithm, its JWKS URL, and a sign-in button for the implicit flow.
  service = await startService({
    ID_PROVIDERS: JSON.stringify([
      {
        issuer,
        audience: CLIENT_ID,
        algorithms: ["RS256"],
        jwksUri: `${issuer}/jwks`,
        signIn: { label: "Local OpenID provider", authorizationEndpoint: `${issuer}/auth`, scope: "openid" },
      },
    ]),
  });
  const servicePort = new URL(service.origin).port;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        // A loopback redirect: oidc-provider allows http only there, and only for native clients.
        application_type: "native",
        redirect_uris: [`http://127.0.0.1:${servicePort}/`],
        response_types: ["id_token"],
        grant_types: ["implicit"],
        token_endpoint_auth_method: "none",
      },
    ],
    responseTypes: ["id_token"],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test-1" }] },
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
  });
  idp = createServer(provider.callback());
  await new Promise<void>((r) => idp!.listen(idpPort, "127.0.0.1", () => r()));
  browser = await launch({ locale: "en-GB" });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((r) => (idp ? idp.close(r) : r(undefined)));
});

async function devSignIn(page: Page, sub: string) {
  await page.locator("#dev-sub").fill(sub);
  await page.locator("#dev-signin button[type=submit]").click();
}

describe("sign-in through a real OpenID provider", () => {
  it("the provider's button, its login and consent, and back signed in: the API accepts the ID token", async () => {
    const app = service.origin.replace("localhost", "127.0.0.1");
    const page = await browser.context.newPage();
    await page.goto(`${app}/`);
    const button = page.locator("[data-provider]");
    await expect.poll(() => button.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await button.textContent()).toContain("Local OpenID provider");
    await button.click();

    // oidc-provider's own login and consent screens.
    await page.waitForURL((u) => u.origin === issuer);
    await page.locator("input[name=login]").fill("oidc-alice");
    await page.locator("input[name=password]").fill("any");
    await page.locator("button[type=submit]").click();
    await page.locator("button[type=submit]").click();

    await page.waitForURL((u) => u.origin === app);
    await expect.poll(() => page.locator("#v-apply").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator("#signin").isHidden()).toBe(true);
    const token = await page.evaluate(() => localStorage.getItem("hp.idToken.person"));
    expect(token).toBeTruthy();
    const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ iss: issuer, aud: CLIENT_ID, sub: "oidc-alice" });

    // The service verified it against the provider's JWKS: this account can apply.
    const applied = await api<{ personId: string }>(service.origin, "POST", "/v1/persons", {
      token: token!,
      body: {
        name: "欧小丽",
        idType: "resident_id",
        idNumber: freshResidentId(),
        phone: "13800005555",
        relationship: "self",
      },
    });
    expect(applied.status).toBe(201);
    // A token the provider did not sign is refused.
    const forged = `${token!.split(".").slice(0, 2).join(".")}.${"A".repeat(342)}`;
    expect((await api(service.origin, "GET", "/v1/persons", { token: forged })).status).toBe(401);
    await page.close();
  });
});

describe("a push message reaches an open page through the service worker", () => {
  it("the worker relays the payload to the page, which shows the new colour", async () => {
    const { origin } = service;
    await browser.context.grantPermissions(["notifications"], { origin });
    const page = await browser.context.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await devSignIn(page, "browser-push");
    await expect.poll(() => page.locator("#v-apply").isVisible(), { timeout: 10_000 }).toBe(true);
    const idNumber = freshResidentId();
    await page.locator("#apply-name").fill("推小送");
    await page.locator("#apply-idType").selectOption("resident_id");
    await page.locator("#apply-idNumber").fill(idNumber);
    await page.locator("#apply-phone").fill("13800006666");
    await page.locator("#apply-form button[type=submit]").click();
    const card = page.locator("#code-card");
    await expect.poll(() => card.getAttribute("data-color"), { timeout: 15_000 }).toBe("green");
    const personId = await page.evaluate(() => localStorage.getItem("hp.current"));
    expect(personId).toBeTruthy();

    // The service worker the page registered, as DevTools sees it.
    const cdp = await browser.context.newCDPSession(page);
    const registrations = new Map<string, string>();
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
      for (const r of e.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    });
    await cdp.send("ServiceWorker.enable");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await expect.poll(() => registrations.get(`${origin}/`), { timeout: 10_000 }).toBeTruthy();

    // The colour really changes (an authority event), then the push announcing it arrives.
    const event = await api(origin, "POST", "/v1/authority/events", {
      token: await idTokenFor(origin, "dev-authority"),
      body: {
        idType: "resident_id",
        idNumber,
        kind: "close_contact",
        occurredAt: new Date().toISOString(),
        reason: "browser push test",
      },
    });
    expect(event.status).toBe(202);
    const relayed = page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          navigator.serviceWorker.addEventListener("message", (e) => resolve(e.data), { once: true }),
        ),
    );
    const payload = { personId, color: "red", previousColor: "green", at: new Date().toISOString() };
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin,
      registrationId: registrations.get(`${origin}/`)!,
      data: JSON.stringify(payload),
    });
    expect(await relayed).toEqual({ type: "color-changed", ...payload });
    await expect.poll(() => card.getAttribute("data-color"), { timeout: 15_000 }).toBe("red");
    await page.screenshot({ path: shot("person-push-red"), fullPage: true });
    await page.close();
  });
});

describe("the API reference at /docs", () => {
  it("renders /openapi.json with Scalar, with nothing loaded from another origin and no CSP refusal", async () => {
    const page = await browser.context.newPage();
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(service.origin) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    const blocked: string[] = [];
    const errors: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    // A failed load is logged without its address; record which one it was.
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${service.origin}/docs`);
    await expect
      .poll(() => page.getByText("Download OpenAPI Document").first().isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(errors).toEqual([]);
    await expect.poll(() => page.getByText("/v1/verify", { exact: true }).first().isVisible()).toBe(true);
    await page.screenshot({ path: shot("api-reference"), fullPage: false });
    expect(foreign).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });
});

describe("the authority's 30-day chart at 360 px", () => {
  it("charts the server's series with a true caption, and no two labels overlap", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${service.origin}/authority#stats`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await devSignIn(page, "dev-authority");
    const chart = page.locator("#chart-time svg");
    await expect.poll(() => chart.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator("#stats-sampled").textContent()).toContain("last 30 days");
    const boxes = await chart.evaluate((svg) =>
      Array.from(svg.querySelectorAll("text")).map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    // Three end values, 0 and the maximum, three dates.
    expect(boxes.length).toBe(8);
    const overlaps = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        .map((b) => `${a.text} × ${b.text}`),
    );
    expect(overlaps).toEqual([]);
    const width = await chart.evaluate((svg) => svg.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(360);
    // Text stays legible: the smallest label is drawn at 9 CSS px or more.
    const smallest = await chart.evaluate((svg) =>
      Math.min(...Array.from(svg.querySelectorAll("text")).map((t) => t.getBoundingClientRect().height)),
    );
    expect(smallest).toBeGreaterThanOrEqual(9);
    // The district chart's legend too.
    const legend = await page.locator("#chart-district svg").evaluate((svg) =>
      Array.from(svg.querySelectorAll(":scope > text, :scope > rect")).map((n) => {
        const r = n.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    const legendOverlaps = legend.filter((a, i) =>
      legend
        .slice(i + 1)
        .some(
          (b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom && b.top < a.bottom,
        ),
    );
    expect(legendOverlaps).toEqual([]);
    await page.locator("#v-stats").screenshot({ path: shot("authority-stats-360") });
    await page.close();
  });
});
