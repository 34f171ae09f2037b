import { describe, expect, it, vi } from "vitest";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function apply(sub: string, idNumber = freshResidentId()) {
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, idNumber, personId: res.body.personId as string };
}

/** The default table with secondary contacts shortened to 3 days: someone 5 days in turns green. */
const shorter = {
  ...DEFAULT_RULE_SET,
  version: "2026.2",
  publishedAt: "2026-11-20T00:00:00Z",
  rules: DEFAULT_RULE_SET.rules.map((r) =>
    r.id === "secondary-contact"
      ? { ...r, version: "2", lift: { afterDays: 3, from: "trigger" as const } }
      : r,
  ),
};

describe("rule sets", () => {
  it("rejects an invalid rule set naming the bad fields, and a duplicate version with 409", async () => {
    const token = await authorityToken();
    const bad = await call("POST", "/v1/authority/rule-sets", {
      token,
      body: { ...shorter, version: "2026.x!", rules: [{ ...shorter.rules[0], color: "green" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["version", "rules.0.color"]),
    );
    const builtIn = await call("POST", "/v1/authority/rule-sets", { token, body: DEFAULT_RULE_SET });
    expect(builtIn.status).toBe(409);
  });

  it("publishing re-evaluates persons through the queue; their history names the version; new persons start on it", async () => {
    const token = await authorityToken();
    const existing = await apply("rs-existing");
    await call("POST", "/v1/authority/events", {
      token,
      body: {
        idType: "resident_id",
        idNumber: existing.idNumber,
        kind: "secondary_contact",
        occurredAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        reason: "Contact of a contact",
      },
    });
    expect((await env.PERSON.getByName(existing.personId).summary())?.color).toBe("yellow");

    const published = await call("POST", "/v1/authority/rule-sets", { token, body: shorter });
    expect(published.status).toBe(201);
    expect((await call("POST", "/v1/authority/rule-sets", { token, body: shorter })).status).toBe(409);
    const list = await call("GET", "/v1/authority/rule-sets", { token });
    expect(
      list.body.ruleSets.map((r: { version: string; active: boolean }) => [r.version, r.active]),
    ).toEqual([
      ["2026.2", true],
      ["2026.1", false],
    ]);

    await vi.waitUntil(
      async () => (await env.PERSON.getByName(existing.personId).summary())?.color === "green",
      { timeout: 15_000, interval: 100 },
    );
    const status = await call("GET", `/v1/persons/${existing.personId}/status`, { token: existing.token });
    expect(status.body).toMatchObject({ color: "green", ruleSetVersion: "2026.2" });
    expect(status.body.history[0]).toMatchObject({
      from: "yellow",
      to: "green",
      cause: { kind: "rule_set" },
      ruleSetVersion: "2026.2",
      decidedBy: [{ rule: "secondary-contact", ruleSetVersion: "2026.1" }],
    });

    // Someone applying after the publication is evaluated under it from the start.
    const idNumber = freshResidentId();
    await call("POST", "/v1/authority/events", {
      token,
      body: {
        idType: "resident_id",
        idNumber,
        kind: "secondary_contact",
        occurredAt: new Date(Date.now() - 4 * 86_400_000).toISOString(),
        reason: "Contact of a contact",
      },
    });
    const newcomer = await apply("rs-newcomer", idNumber);
    const s = await call("GET", `/v1/persons/${newcomer.personId}/status`, { token: newcomer.token });
    expect(s.body).toMatchObject({ color: "green", ruleSetVersion: "2026.2" });
  });
});
