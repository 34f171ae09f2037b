import { describe, expect, it, vi } from "vitest";
import { peopleTime } from "../../durable/rules/people-time";
import {
  authorityToken,
  call,
  type ExplainedStatus,
  env,
  idToken,
  last,
  type OpenApiDocument,
} from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

async function apply(sub: string, idNumber = freshResidentId()) {
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, idNumber, personId: res.body.personId as string };
}

const DAY = 86_400_000;

describe("authority events", () => {
  it("records a close contact with its reason; the person sees the reason and a dated lift; a retry adds nothing", async () => {
    const auth = await authorityToken();
    const { token, idNumber, personId } = await apply("event-person");
    const occurredAt = new Date(Date.now() - 2 * DAY).toISOString();
    const body = {
      idType: "resident_id",
      idNumber,
      kind: "close_contact",
      occurredAt,
      reason: "同乘 G1234 次列车 7 号车厢 / Shared train car 7 with a case",
    };
    const res = await call("POST", "/v1/authority/events", { token: auth, body });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ personId, color: "red", eventId: expect.any(String) });
    const again = await call("POST", "/v1/authority/events", { token: auth, body });
    expect(again.body.eventId).toBe(res.body.eventId);

    const status = await call<ExplainedStatus>("GET", `/v1/persons/${personId}/status`, { token });
    expect(status.body.color).toBe("red");
    const until = new Date(Date.parse(occurredAt) + 21 * DAY).toISOString().replace(".000Z", "Z");
    expect(status.body.reasons[0]).toMatchObject({
      rule: "close-contact",
      ruleVersion: "1",
      until: expect.stringMatching(/^\d{4}-/),
      events: [{ event: "close_contact", reason: body.reason }],
    });
    expect(status.body.reasons[0]?.until).toBe(until);
    expect(status.body.reasons[0]?.lift.en).toContain(peopleTime(until, "en", { round: "up" }));
    const changes = status.body.history.filter((h) => h.type === "color_change");
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({
      from: "green",
      to: "red",
      rules: [{ rule: "close-contact", ruleVersion: "1" }],
      ruleSetVersion: "2026.1",
      cause: { kind: "fact", factIds: [`event:${res.body.eventId}`] },
      events: [{ reason: body.reason }],
      decidedBy: [{ rule: "close-contact", facts: [`event:${res.body.eventId}`] }],
    });

    const audit = await env.DB.prepare(
      "SELECT action, reason, actor_kind, detail FROM audit_log WHERE target = ?",
    )
      .bind(personId)
      .all();
    expect(audit.results[0]).toMatchObject({
      action: "authority_event.close_contact",
      reason: body.reason,
      actor_kind: "authority",
    });
    expect(JSON.stringify(audit.results)).not.toContain(idNumber);
  });

  it("an explicit Idempotency-Key names the event; a release later lifts a confirmed case's clock", async () => {
    const auth = await authorityToken();
    const { idNumber, personId } = await apply("event-key");
    const base = { idType: "resident_id", idNumber };
    const confirmed = await call("POST", "/v1/authority/events", {
      token: auth,
      headers: { "idempotency-key": "case-2026-0042" },
      body: {
        ...base,
        kind: "confirmed",
        occurredAt: new Date(Date.now() - 10 * DAY).toISOString(),
        reason: "PCR confirmed at hospital",
      },
    });
    expect(confirmed.body).toMatchObject({ eventId: "case-2026-0042", color: "red" });
    const released = await call("POST", "/v1/authority/events", {
      token: auth,
      body: {
        ...base,
        kind: "released",
        occurredAt: new Date(Date.now() - DAY).toISOString(),
        reason: "Discharged",
        eventId: "release-0042",
      },
    });
    expect(released.body).toMatchObject({ eventId: "release-0042", color: "red" });
    // The release starts the 28-day clock: the review is 28 days after it.
    const summary = await env.PERSON.getByName(personId).summary();
    const status = await env.PERSON.getByName(personId).status();
    const release = status!.state.reasons[0]!;
    expect(release).toMatchObject({ rule: "confirmed", events: [{ reason: "PCR confirmed at hospital" }] });
    expect(Date.parse(summary!.reviewAt!) - Date.parse(release.until!)).toBe(0);
    expect(release.lift.en).toContain("28 days after the release recorded at");
  });

  it("an event for someone who never applied is kept and decides when they apply", async () => {
    const idNumber = freshResidentId();
    await call("POST", "/v1/authority/events", {
      token: await authorityToken(),
      body: {
        idType: "resident_id",
        idNumber,
        kind: "secondary_contact",
        occurredAt: new Date().toISOString(),
        reason: "Household of a close contact",
      },
    });
    const { personId } = await apply("later", idNumber);
    expect((await env.PERSON.getByName(personId).summary())?.color).toBe("yellow");
  });
});

describe("statistics", () => {
  it("counts registered persons by colour and district once their objects have counted them", async () => {
    const auth = await authorityToken();
    const before = (await call("GET", "/v1/authority/stats", { token: auth })).body;
    const a = await apply("stats-a", freshResidentId("510106"));
    const b = await apply("stats-b", freshResidentId("510106"));
    await apply("stats-c", freshResidentId("110102"));
    await call("POST", "/v1/authority/events", {
      token: auth,
      body: {
        idType: "resident_id",
        idNumber: b.idNumber,
        kind: "confirmed",
        occurredAt: new Date().toISOString(),
        reason: "Confirmed",
      },
    });
    void a;
    const readStats = async () => (await call("GET", "/v1/authority/stats", { token: auth })).body;
    const district = (s: typeof before, code: string) =>
      s.byDistrict.find((d) => d.districtCode === code) ?? {
        green: 0,
        yellow: 0,
        red: 0,
      };
    // Districts only this test uses, so other tests' snapshots landing meanwhile do not disturb it.
    await vi.waitUntil(
      async () => {
        const s = await readStats();
        return (
          district(s, "510106").red === 1 &&
          district(s, "510106").green === 1 &&
          district(s, "110102").green === 1
        );
      },
      {
        timeout: 15_000,
        interval: 100,
      },
    );
    const now = await readStats();
    // Other tests' persons may be counted meanwhile: at least these three more.
    expect(now.total).toBeGreaterThanOrEqual(before.total + 3);
    expect(now.byColor.green + now.byColor.yellow + now.byColor.red).toBe(now.total);
    expect(district(now, "510106").red).toBe(1);
    expect(district(now, "510106").green).toBe(1);
    expect(district(now, "110102").green).toBe(1);
    // The chart over time: 30 days, ending today with the same red count the change log implies.
    expect(now.series).toHaveLength(30);
    const today = last(now.series, "stats series");
    expect(today.red).toBeGreaterThanOrEqual(1);
    expect(today.green + today.yellow + today.red).toBe(now.total);
  });
});

describe("dead letters", () => {
  it("lists them newest first, page by page, and replays one to its queue", async () => {
    const auth = await authorityToken();
    const { personId } = await apply("dead-letter-person");
    const stamp = Date.now();
    const rows = [
      {
        id: `dl-a-${stamp}`,
        body: {
          type: "lab_results",
          labId: "lab_dl",
          results: [
            {
              personId,
              sampleId: "DL-1",
              test: "nucleic_acid",
              result: "positive",
              sampledAt: new Date(stamp - DAY).toISOString(),
              reportedAt: new Date(stamp - DAY / 2).toISOString(),
            },
          ],
        },
      },
      { id: `dl-b-${stamp}`, body: { something: "unknown" } },
      { id: `dl-c-${stamp}`, body: { type: "lab_results", labId: "lab_dl", results: "garbage" } },
    ];
    for (const [i, r] of rows.entries()) {
      await env.DB.prepare(
        "INSERT INTO dead_letters (id, origin_queue, body, attempts, reason, received_at) VALUES (?, ?, ?, 4, 'test', ?)",
      )
        .bind(
          r.id,
          "body" in r && "type" in r.body ? "healthpass-intake" : null,
          JSON.stringify(r.body),
          new Date(stamp + i).toISOString(),
        )
        .run();
    }
    const page1 = await call("GET", "/v1/authority/dead-letters?limit=2", { token: auth });
    expect(page1.status).toBe(200);
    expect(page1.body.deadLetters.map((d: { id: string }) => d.id)).toEqual([rows[2]!.id, rows[1]!.id]);
    const page2 = await call("GET", `/v1/authority/dead-letters?limit=2&cursor=${page1.body.nextCursor}`, {
      token: auth,
    });
    expect(page2.body.deadLetters[0]?.id).toBe(rows[0]!.id);

    expect(
      (await call("POST", `/v1/authority/dead-letters/${rows[1]!.id}/replay`, { token: auth })).status,
    ).toBe(409);
    const replay = await call("POST", `/v1/authority/dead-letters/${rows[0]!.id}/replay`, { token: auth });
    expect(replay.status).toBe(202);
    expect(replay.body.replayedAt).toEqual(expect.any(String));
    await vi.waitUntil(async () => (await env.PERSON.getByName(personId).summary())?.color === "red", {
      timeout: 15_000,
      interval: 100,
    });
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ?")
      .bind(rows[0]!.id)
      .all();
    expect(audit.results).toEqual([{ action: "dead_letter.replay" }]);
  });
});

describe("OpenAPI", () => {
  it("describes every route of this area", async () => {
    const doc = (await call<OpenApiDocument>("GET", "/openapi.json")).body;
    for (const path of [
      "/v1/lab/results",
      "/v1/authority/labs",
      "/v1/authority/labs/{labId}/keys",
      "/v1/authority/labs/{labId}/keys/{keyId}",
      "/v1/authority/events",
      "/v1/authority/rule-sets",
      "/v1/authority/stats",
      "/v1/authority/dead-letters",
      "/v1/authority/dead-letters/{id}/replay",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
