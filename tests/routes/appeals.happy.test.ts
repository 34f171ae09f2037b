import { describe, expect, it } from "vitest";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { personShard, runEveryShard } from "../helpers/shards";

async function applied(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, personId: res.body.personId as string };
}

describe("appeals and questions", () => {
  it("life cycle: filed, listed for the authority oldest first, answered, seen by the person", async () => {
    const p = await applied("appeal-owner");
    const filed = await call("POST", `/v1/persons/${p.personId}/appeals`, {
      token: p.token,
      body: { kind: "question", text: "我的核酸结果什么时候出来？", evidenceRef: "sample 12345" },
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ kind: "question", state: "open", text: "我的核酸结果什么时候出来？" });
    const appealId = filed.body.appealId as string;

    // Stored sealed: the text is not in D1 in clear.
    const row = await personShard(p.personId)
      .prepare("SELECT text_enc, evidence_ref_enc FROM appeals WHERE appeal_id = ?")
      .bind(appealId)
      .first<{ text_enc: string; evidence_ref_enc: string }>();
    expect(row?.text_enc).toMatch(/^v1\./);
    expect(row?.text_enc).not.toContain("核酸");
    expect(row?.evidence_ref_enc).not.toContain("12345");

    const authority = await authorityToken();
    const open = await call("GET", "/v1/authority/appeals?state=open", { token: authority });
    expect(open.status).toBe(200);
    const mine = open.body.appeals.find((a: { appealId: string }) => a.appealId === appealId);
    expect(mine).toMatchObject({ state: "open", overdue: false, text: "我的核酸结果什么时候出来？" });
    expect(mine?.ageHours).toBeGreaterThanOrEqual(0);

    const answered = await call("POST", `/v1/authority/appeals/${appealId}/answer`, {
      token: authority,
      body: { answer: "结果一般在24小时内发布。" },
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: "answered", answer: "结果一般在24小时内发布。" });

    const seen = await call("GET", `/v1/persons/${p.personId}/appeals`, { token: p.token });
    expect(seen.body.appeals).toEqual([
      expect.objectContaining({
        appealId,
        state: "answered",
        answer: "结果一般在24小时内发布。",
        answeredAt: expect.any(String),
      }),
    ]);
    const stillOpen = await call("GET", "/v1/authority/appeals?state=open", { token: authority });
    expect(stillOpen.body.appeals.map((a: { appealId: string }) => a.appealId)).not.toContain(appealId);

    // The same answer again is a harmless retry; a different one is a conflict.
    const retry = await call("POST", `/v1/authority/appeals/${appealId}/answer`, {
      token: authority,
      body: { answer: "结果一般在24小时内发布。" },
    });
    expect(retry.status).toBe(200);
    const other = await call("POST", `/v1/authority/appeals/${appealId}/answer`, {
      token: authority,
      body: { answer: "别的" },
    });
    expect(other.status).toBe(409);

    const audits = await env.DB.prepare("SELECT action FROM audit_log WHERE action LIKE 'appeal.%'").all<{
      action: string;
    }>();
    expect(audits.results.map((a) => a.action)).toEqual(
      expect.arrayContaining(["appeal.list", "appeal.answer"]),
    );
  });

  it("flags open appeals past the target time, oldest first", async () => {
    const p = await applied("appeal-old");
    const old = await call("POST", `/v1/persons/${p.personId}/appeals`, {
      token: p.token,
      body: { kind: "appeal", text: "旧的申诉" },
    });
    const fresh = await call("POST", `/v1/persons/${p.personId}/appeals`, {
      token: p.token,
      body: { kind: "appeal", text: "新的申诉" },
    });
    const filedAt = new Date(Date.now() - 30 * 3600_000).toISOString();
    await runEveryShard("UPDATE appeals SET created_at = ? WHERE appeal_id = ?", filedAt, old.body.appealId);

    const list = await call("GET", "/v1/authority/appeals?state=open", { token: await authorityToken() });
    expect(list.body.targetHours).toBe(24);
    const ids = list.body.appeals.map((a: { appealId: string }) => a.appealId);
    expect(ids.indexOf(old.body.appealId)).toBeLessThan(ids.indexOf(fresh.body.appealId));
    const byId = Object.fromEntries(list.body.appeals.map((a: { appealId: string }) => [a.appealId, a]));
    expect(byId[old.body.appealId]).toMatchObject({ overdue: true, ageHours: expect.closeTo(30, 0) });
    expect(byId[fresh.body.appealId]).toMatchObject({ overdue: false });
  });

  it("changes a colour only through an attached authority event", async () => {
    const p = await applied("appeal-colour");
    const stub = env.PERSON.getByName(p.personId);
    const authority = await authorityToken();
    const a1 = await call("POST", `/v1/persons/${p.personId}/appeals`, {
      token: p.token,
      body: { kind: "appeal", text: "我是密接吗？" },
    });
    await call("POST", `/v1/authority/appeals/${a1.body.appealId}/answer`, {
      token: authority,
      body: { answer: "已核实，无需处理。" },
    });
    expect((await stub.summary())?.color).toBe("green");
    expect(await stub.facts("authority_event")).toEqual([]);

    const a2 = await call("POST", `/v1/persons/${p.personId}/appeals`, {
      token: p.token,
      body: { kind: "appeal", text: "请核实我的情况" },
    });
    const occurredAt = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const res = await call("POST", `/v1/authority/appeals/${a2.body.appealId}/answer`, {
      token: authority,
      body: {
        answer: "经流调核实，您为次密接，请居家观察7天。",
        event: { kind: "secondary_contact", occurredAt, reason: "流调核实：次密接" },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.event).toEqual({ kind: "secondary_contact", occurredAt, reason: "流调核实：次密接" });
    expect((await stub.summary())?.color).toBe("yellow");
    const facts = await stub.facts("authority_event");
    expect(facts).toEqual([
      expect.objectContaining({
        id: `event:appeal:${a2.body.appealId}`,
        event: "secondary_contact",
        reason: "流调核实：次密接",
        actor: expect.stringContaining("|"),
      }),
    ]);
    const status = await call("GET", `/v1/persons/${p.personId}/status`, { token: p.token });
    expect(status.body.history[0]).toMatchObject({ from: "green", to: "yellow" });
  });
});
