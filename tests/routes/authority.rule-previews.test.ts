import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { closeContactFor } from "../helpers/rule-sets";
import { countEveryShard } from "../helpers/shards";

const DAY = 86_400_000;

async function apply(sub: string, address: string) {
  const idNumber = freshResidentId(address);
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber, { name: "王小明" }) });
  expect(res.status).toBe(201);
  return { token, idNumber, personId: res.body.personId as string };
}

async function closeContact(token: string, idNumber: string, daysAgo: number) {
  const r = await call("POST", "/v1/authority/events", {
    token,
    body: {
      idType: "resident_id",
      idNumber,
      kind: "close_contact",
      occurredAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      reason: "Shared a table with a confirmed case",
    },
  });
  expect(r.status).toBe(202);
}

async function finished(token: string, previewId: string) {
  let body: any;
  await vi.waitUntil(
    async () => {
      body = (await call("GET", `/v1/authority/rule-sets/previews/${previewId}`, { token })).body;
      return body.status === "done";
    },
    { timeout: 20_000, interval: 100 },
  );
  return body;
}

describe("rule-set previews", () => {
  it("reports close contacts of 15 days ago as red → green under a 14-day rule, changes nothing, and publication needs confirmation above the threshold", async () => {
    const token = await authorityToken();
    const contacts = [
      await apply("pv-a", "510104"),
      await apply("pv-b", "510107"),
      await apply("pv-c", "511702"),
    ];
    const bystander = await apply("pv-d", "510104");
    for (const p of contacts) await closeContact(token, p.idNumber, 15);
    const before = await Promise.all(
      [...contacts, bystander].map((p) => env.PERSON.getByName(p.personId).status()),
    );
    expect(before.map((s) => s?.state.color)).toEqual(["red", "red", "red", "green"]);

    const fourteen = closeContactFor(14, "2026.14");
    const started = await call("POST", "/v1/authority/rule-sets/previews", { token, body: fourteen });
    expect(started.status).toBe(202);
    const { previewId } = started.body;
    const preview = await finished(token, previewId);

    const registered = { n: await countEveryShard("SELECT count(*) AS n FROM persons") };
    expect(preview).toMatchObject({
      status: "done",
      ruleSetVersion: "2026.14",
      baseVersion: "2026.1",
      evaluated: registered?.n,
      total: registered?.n,
      changed: 3,
      changes: [{ from: "red", to: "green", count: 3 }],
    });
    expect(preview.byDistrict).toEqual([
      { districtCode: "510100", districtName: "成都市", changes: [{ from: "red", to: "green", count: 2 }] },
      { districtCode: "511700", districtName: "达州市", changes: [{ from: "red", to: "green", count: 1 }] },
    ]);
    expect(preview.samples).toHaveLength(3);
    for (const s of preview.samples)
      expect(s).toMatchObject({
        from: "red",
        to: "green",
        decidedBy: { now: ["close-contact"], proposed: [] },
      });
    expect(preview.samples.map((s: { districtCode: string }) => s.districtCode).sort()).toEqual([
      "510104",
      "510107",
      "511702",
    ]);
    // Masked names only: no identity number, personId or full name anywhere in the answer.
    const text = JSON.stringify(preview);
    expect(text).not.toContain("王小明");
    for (const p of contacts) {
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.personId);
    }
    expect(preview.samples[0].maskedName).toMatch(/\*/);

    // The preview changed nothing: same colour, version and history for everyone.
    const after = await Promise.all(
      [...contacts, bystander].map((p) => env.PERSON.getByName(p.personId).status()),
    );
    expect(after.map((s) => [s?.state.color, s?.state.version, s?.history.length])).toEqual(
      before.map((s) => [s?.state.color, s?.state.version, s?.history.length]),
    );
    const listed = await call("GET", "/v1/authority/rule-sets", { token });
    expect(listed.body.ruleSets[0]).toMatchObject({ version: "2026.1", active: true });

    // More persons change (3) than the threshold (2): the publication needs the preview and confirm=true.
    const strict = { ...env, RULE_CONFIRM_THRESHOLD: "2" } as Env;
    const bare = await call("POST", "/v1/authority/rule-sets", { token, body: fourteen, env: strict });
    expect(bare.status).toBe(409);
    expect(bare.body).toMatchObject({ previewRequired: true, threshold: 2 });
    const unconfirmed = await call("POST", `/v1/authority/rule-sets?previewId=${previewId}`, {
      token,
      body: fourteen,
      env: strict,
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.headers.get("content-type")).toContain("application/problem+json");
    expect(unconfirmed.body).toMatchObject({ changedPersons: 3, threshold: 2, confirmationRequired: true });
    expect(unconfirmed.body.detail).toContain("3 persons");
    // The preview is of this set only: a set differing in one duration is refused even with confirm.
    const other = await call("POST", `/v1/authority/rule-sets?previewId=${previewId}&confirm=true`, {
      token,
      body: { ...closeContactFor(13, "2026.14") },
      env: strict,
    });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain("different rule set");
    // Still nobody changed.
    expect((await env.PERSON.getByName(contacts[0]!.personId).summary())?.color).toBe("red");

    const confirmed = await call("POST", `/v1/authority/rule-sets?previewId=${previewId}&confirm=true`, {
      token,
      body: fourteen,
      env: strict,
    });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ version: "2026.14", previewId });
    await vi.waitUntil(
      async () => {
        const s = await Promise.all(contacts.map((p) => env.PERSON.getByName(p.personId).summary()));
        return s.every((x) => x?.color === "green");
      },
      { timeout: 20_000, interval: 100 },
    );
    const status = await call("GET", `/v1/persons/${contacts[0]!.personId}/status`, {
      token: contacts[0]!.token,
    });
    expect(status.body).toMatchObject({ color: "green", ruleSetVersion: "2026.14" });

    // The publication record and the audit log name the preview.
    const list = await call("GET", "/v1/authority/rule-sets", { token });
    expect(list.body.ruleSets[0]).toMatchObject({ version: "2026.14", active: true, previewId });
    const audits = await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE action LIKE 'rule_set.%' ORDER BY id",
    ).all<{ action: string; detail: string }>();
    const rows = audits.results.map((r) => ({ action: r.action, detail: JSON.parse(r.detail) }));
    expect(rows.map((r) => r.action)).toEqual([
      "rule_set.preview",
      "rule_set.publish_refused",
      "rule_set.publish_refused",
      "rule_set.publish_refused",
      "rule_set.publish",
    ]);
    expect(rows.at(-1)?.detail).toMatchObject({ previewId, changedPersons: 3, confirmed: true });
    expect(rows[0]?.detail).toMatchObject({ version: "2026.14" });
  });

  it("a preview of a version already published is refused; an unknown or malformed id is 404 or 400; only the authority may preview", async () => {
    const token = await authorityToken();
    const taken = await call("POST", "/v1/authority/rule-sets/previews", {
      token,
      body: closeContactFor(14, "2026.1"),
    });
    expect(taken.status).toBe(409);
    const unknown = await call(
      "GET",
      "/v1/authority/rule-sets/previews/00000000-0000-4000-8000-000000000000",
      {
        token,
      },
    );
    expect(unknown.status).toBe(404);
    const malformed = await call("GET", "/v1/authority/rule-sets/previews/not-an-id", { token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.path).toBe("previewId");
    const bad = await call("POST", "/v1/authority/rule-sets?confirm=yes", {
      token,
      body: closeContactFor(14, "2026.77"),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("confirm");

    // A stranger with an ordinary account can neither start a preview nor read one (samples hold masked names).
    const stranger = await idToken("pv-stranger");
    const started = await call("POST", "/v1/authority/rule-sets/previews", {
      token,
      body: closeContactFor(14, "2026.15"),
    });
    expect(started.status).toBe(202);
    expect(
      (
        await call("POST", "/v1/authority/rule-sets/previews", {
          token: stranger,
          body: closeContactFor(14, "2026.16"),
        })
      ).status,
    ).toBe(403);
    expect(
      (await call("GET", `/v1/authority/rule-sets/previews/${started.body.previewId}`, { token: stranger }))
        .status,
    ).toBe(403);
  });
});
