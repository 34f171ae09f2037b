import { describe, expect, it, vi } from "vitest";
import { authorityToken, call, env, idToken } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";
import { countEveryShard } from "../helpers/shards";

async function site(name = "锦江区疫苗接种点") {
  const res = await call("POST", "/v1/authority/vaccination-sites", {
    token: await authorityToken(),
    body: { name, districtCode: "510104" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { siteId: string; siteKey: string };
}

async function applied(sub: string) {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
  return { token, idNumber, personId: res.body.personId as string };
}

const record = (idNumber: string, recordId: string, dose: number, date: string) => ({
  recordId,
  idType: "resident_id",
  idNumber,
  name: "张小三",
  product: "CoronaVac",
  dose,
  date,
});

describe("vaccinations", () => {
  it("queues records, stores them once and shows them newest first with the site's name", async () => {
    const { siteId, siteKey } = await site();
    const p = await applied("vax-owner");
    const body = {
      records: [record(p.idNumber, "r-1", 1, "2026-03-01"), record(p.idNumber, "r-2", 2, "2026-04-01")],
    };
    // Sent twice before the queue has run, then once more after: applied once.
    const first = await call("POST", "/v1/vaccination/records", { token: siteKey, body });
    const second = await call("POST", "/v1/vaccination/records", { token: siteKey, body });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 2, duplicates: 0 });
    expect(second.status).toBe(202);

    await vi.waitUntil(
      async () =>
        (await call("GET", `/v1/persons/${p.personId}/vaccinations`, { token: p.token })).body.vaccinations
          ?.length === 2,
      { timeout: 15_000, interval: 100 },
    );
    const list = await call("GET", `/v1/persons/${p.personId}/vaccinations`, { token: p.token });
    expect(list.body.vaccinations).toEqual([
      {
        recordId: "r-2",
        siteId,
        siteName: "锦江区疫苗接种点",
        product: "CoronaVac",
        dose: 2,
        date: "2026-04-01",
      },
      {
        recordId: "r-1",
        siteId,
        siteName: "锦江区疫苗接种点",
        product: "CoronaVac",
        dose: 1,
        date: "2026-03-01",
      },
    ]);
    await vi.waitUntil(
      async () =>
        (await countEveryShard("SELECT count(*) AS n FROM vaccination_records WHERE site_id = ?", siteId)) ===
        2,
      { timeout: 10_000, interval: 100 },
    );

    const third = await call("POST", "/v1/vaccination/records", { token: siteKey, body });
    expect(third.body).toEqual({ accepted: 0, duplicates: 2 });
    const facts = await env.PERSON.getByName(p.personId).facts("vaccination");
    expect(facts.map((f) => f.id).sort()).toEqual([`vaccination:${siteId}:r-1`, `vaccination:${siteId}:r-2`]);
    // The person's colour is untouched by vaccinations under the default rule set.
    expect((await env.PERSON.getByName(p.personId).summary())?.color).toBe("green");
  });

  it("keeps records of someone who has not applied yet and shows them once they do", async () => {
    const { siteKey } = await site("预先接种点");
    const idNumber = freshResidentId();
    const sent = await call("POST", "/v1/vaccination/records", {
      token: siteKey,
      body: { records: [record(idNumber, "early-1", 1, "2026-01-05T09:30:00+08:00")] },
    });
    expect(sent.body.accepted).toBe(1);
    const token = await idToken("vax-late", { idType: "resident_id", idNumber });
    const { body } = await call("POST", "/v1/persons", { token, body: applicant(idNumber) });
    await vi.waitUntil(
      async () =>
        (await call("GET", `/v1/persons/${body.personId}/vaccinations`, { token })).body.vaccinations
          ?.length === 1,
      { timeout: 15_000, interval: 100 },
    );
  });

  it("is visible only to the person's managers (403 otherwise)", async () => {
    const p = await applied("vax-private");
    const stranger = await idToken("vax-stranger");
    expect((await call("GET", `/v1/persons/${p.personId}/vaccinations`, { token: stranger })).status).toBe(
      403,
    );
    expect((await call("GET", `/v1/persons/${p.personId}/vaccinations`, { token: p.token })).status).toBe(
      200,
    );
  });

  it("audits site creation and stores no identity number", async () => {
    const { siteId } = await site("审计接种点");
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ?")
      .bind(siteId)
      .first<{ action: string }>();
    expect(audit?.action).toBe("vaccination_site.create");
  });
});
