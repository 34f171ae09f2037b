// Issue 13 in a real Chromium: the person app shows each logged history entry as "recorded in the
// public log" only after checking, on the device, the checkpoint's signature against /log/key and the
// entry's inclusion proof; a proof that does not verify is shown as a failed check, not as recorded.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { api, freshResidentId } from "./helpers.js";
import { type Browser, useServiceAndBrowser } from "./session.js";

let browser: Browser;
let origin = "";

useServiceAndBrowser((s) => {
  origin = s.origin;
  browser = s.browser;
});

type History = { history: { to: string; log?: { index: number; nonce: string } }[] };

/** A person who applied for themselves, once their first history entry is in the log. */
async function loggedPerson(sub: string) {
  const idNumber = freshResidentId();
  const token = (
    await api<{ idToken: string }>(origin, "POST", "/dev/id-token", {
      body: { sub, name: "李四", idType: "resident_id", idNumber },
    })
  ).data.idToken;
  const applied = await api<{ personId: string }>(origin, "POST", "/v1/persons", {
    token,
    body: { name: "李四", idType: "resident_id", idNumber, phone: "13900004444", relationship: "self" },
  });
  expect(applied.status).toBe(201);
  const personId = applied.data.personId;
  // The log's promise: in a signed checkpoint within 10 s.
  let index = -1;
  await expect
    .poll(
      async () => {
        const s = await api<History>(origin, "GET", `/v1/persons/${personId}/status`, { token });
        index = s.data.history.find((h) => h.log)?.log?.index ?? -1;
        return index;
      },
      { timeout: 10_000, interval: 250 },
    )
    .toBeGreaterThanOrEqual(0);
  return { token, personId, index };
}

async function openHistory(token: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript((tok) => localStorage.setItem("hp.idToken.person", tok), token);
  await page.goto(`${origin}/#status`);
  return page;
}

describe("person app: recorded in the public log", () => {
  it("checks the entry's proof and signature on the device before saying it is recorded", async () => {
    const { token, index } = await loggedPerson(`browser-log-${Date.now()}`);
    const page = await openHistory(token);
    const badge = page.locator(`#status-history .log-badge[data-log-index="${index}"]`);
    await expect.poll(() => badge.getAttribute("data-log-check"), { timeout: 15_000 }).toBe("ok");
    expect(await badge.textContent()).toContain(`✓ 已记入公开日志（本机已核验签名与证明） #${index}`);
    await page.close();
  });

  it("says the check failed when the proof it is given does not match the entry", async () => {
    const { token, index } = await loggedPerson(`browser-log-tampered-${Date.now()}`);
    const page = await openHistory(token);
    // A service (or anything between) that shows the person an entry the log does not hold.
    await page.route("**/log-proof?*", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { entry: string };
      body.entry = body.entry.replace(/"to":"(\w+)"/, '"to":"red"').replace(/"from":null/, '"from":"green"');
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    const badge = page.locator(`#status-history .log-badge[data-log-index="${index}"]`);
    await expect.poll(() => badge.getAttribute("data-log-check"), { timeout: 15_000 }).toBe("failed");
    expect(await badge.textContent()).toContain("✗ 公开日志核验失败 (bad_proof)");
    expect(await badge.textContent()).not.toContain("✓");
    await page.close();
  });
});
