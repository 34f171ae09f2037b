import { describe, expect, it } from "vitest";
import { authorityToken, call, env, idToken, labKey } from "../helpers/api";
import { freshResidentId } from "../helpers/identities";

const result = () => ({
  sampleId: `SEC-${Math.random().toString(36).slice(2)}`,
  idType: "resident_id",
  idNumber: freshResidentId(),
  name: "王五",
  test: "nucleic_acid",
  result: "negative",
  sampledAt: new Date(Date.now() - 7_200_000).toISOString(),
  reportedAt: new Date(Date.now() - 3_600_000).toISOString(),
});

const authorityCalls: [string, string, unknown?][] = [
  ["POST", "/v1/authority/labs", { name: "x" }],
  ["GET", "/v1/authority/labs"],
  ["POST", "/v1/authority/labs/lab_x/keys"],
  ["DELETE", "/v1/authority/labs/lab_x/keys/key_x"],
  [
    "POST",
    "/v1/authority/events",
    {
      idType: "resident_id",
      idNumber: freshResidentId(),
      kind: "confirmed",
      occurredAt: new Date().toISOString(),
      reason: "x",
    },
  ],
  ["GET", "/v1/authority/rule-sets"],
  ["POST", "/v1/authority/rule-sets", {}],
  ["GET", "/v1/authority/stats"],
  ["GET", "/v1/authority/dead-letters"],
  ["POST", "/v1/authority/dead-letters/x/replay"],
];

describe("who may call what", () => {
  it.each(authorityCalls)("a lab key cannot call %s %s", async (method, path, body) => {
    const res = await call(method, path, { token: await labKey(), body });
    expect([401, 403]).toContain(res.status);
  });

  it.each(authorityCalls)(
    "a person without the authority role gets 403 on %s %s",
    async (method, path, body) => {
      const res = await call(method, path, { token: await idToken("plain-person"), body });
      expect(res.status).toBe(403);
    },
  );

  it("an ID token (even the authority's) cannot submit lab results", async () => {
    const res = await call("POST", "/v1/lab/results", {
      token: await authorityToken(),
      body: { results: [result()] },
    });
    expect(res.status).toBe(401);
  });

  it("a revoked lab key is refused; a newly issued one works; every step is audited with the actor", async () => {
    const token = await authorityToken();
    const created = await call("POST", "/v1/authority/labs", { token, body: { name: "Revocation lab" } });
    expect(created.status).toBe(201);
    const { labId, keyId, labKey: key } = created.body;
    expect(
      (await call("POST", "/v1/lab/results", { token: key, body: { results: [result()] } })).status,
    ).toBe(202);

    const list = await call("GET", "/v1/authority/labs", { token });
    const listed = list.body.labs.find((l: { labId: string }) => l.labId === labId);
    expect(listed?.keys).toEqual([expect.objectContaining({ keyId, revokedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(key);

    expect((await call("DELETE", `/v1/authority/labs/${labId}/keys/${keyId}`, { token })).status).toBe(204);
    expect((await call("DELETE", `/v1/authority/labs/${labId}/keys/${keyId}`, { token })).status).toBe(404);
    expect(
      (await call("POST", "/v1/lab/results", { token: key, body: { results: [result()] } })).status,
    ).toBe(401);

    const rotated = await call("POST", `/v1/authority/labs/${labId}/keys`, { token });
    expect(rotated.status).toBe(201);
    expect(
      (await call("POST", "/v1/lab/results", { token: rotated.body.labKey, body: { results: [result()] } }))
        .status,
    ).toBe(202);
    expect((await call("POST", "/v1/authority/labs/lab_nope/keys", { token })).status).toBe(404);

    const audit = await env.DB.prepare(
      "SELECT action, actor_kind, actor FROM audit_log WHERE target = ? ORDER BY id",
    )
      .bind(labId)
      .all();
    expect(audit.results.map((r) => r.action)).toEqual([
      "lab.create",
      "lab.key.issue",
      "lab.key.revoke",
      "lab.key.issue",
    ]);
    for (const r of audit.results)
      expect(r).toMatchObject({ actor_kind: "authority", actor: expect.stringMatching(/\|dev-authority$/) });
  });

  it("no 5xx on bad input to the authority endpoints", async () => {
    const token = await authorityToken();
    const cases: [string, string, { body?: unknown; rawBody?: string }][] = [
      ["POST", "/v1/authority/labs", { body: {} }],
      ["POST", "/v1/authority/labs", { rawBody: "{" }],
      [
        "POST",
        "/v1/authority/events",
        { body: { idType: "resident_id", idNumber: "123", kind: "nope", occurredAt: "soon" } },
      ],
      [
        "POST",
        "/v1/authority/events",
        {
          body: {
            idType: "resident_id",
            idNumber: freshResidentId(),
            kind: "confirmed",
            occurredAt: new Date().toISOString(),
            reason: "  ",
          },
        },
      ],
      [
        "POST",
        "/v1/authority/events",
        {
          body: {
            idType: "resident_id",
            idNumber: freshResidentId(),
            kind: "confirmed",
            occurredAt: new Date().toISOString(),
            reason: "x".repeat(501),
          },
        },
      ],
      ["POST", "/v1/authority/rule-sets", { body: { version: 1, rules: "none" } }],
      ["POST", "/v1/authority/rule-sets", { rawBody: "[[[" }],
      ["GET", "/v1/authority/dead-letters?limit=abc", {}],
      ["GET", "/v1/authority/dead-letters?cursor=%%%", {}],
      ["POST", "/v1/authority/dead-letters/nope/replay", {}],
    ];
    for (const [method, path, opts] of cases) {
      const res = await call(method, path, { token, ...opts });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });
});
