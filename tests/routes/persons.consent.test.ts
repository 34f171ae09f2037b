// Issue 17: knowing someone's name and identity number must not hand over their code, status or
// whereabouts. Every scenario end to end through the HTTP API, as the apps would call it.
import { describe, expect, it } from "vitest";
import { decryptPii } from "../../workers/identity/pii";
import { PROXY_REQUESTS_PER_DAY } from "../../workers/persons/quota";
import { call, env, idToken } from "../helpers/api";
import { registryAudit, shardAudit } from "../helpers/audit";
import { applicant, freshResidentId, residentId } from "../helpers/identities";
import { personShard } from "../helpers/shards";
import { aVenue, CHENGDU } from "./venues.fixtures";

const REAL_NAME = "李秀英";

/** A real-name login: the provider asserts the holder's document and name. */
async function realNameToken(sub: string, idNumber: string, name = REAL_NAME): Promise<string> {
  const res = await call("POST", "/dev/id-token", { body: { sub, name, idType: "resident_id", idNumber } });
  expect(res.status).toBe(200);
  return res.body.idToken;
}

const uniq = () => crypto.randomUUID().slice(0, 8);

/** Everything a manager could read about a person; check-ins last. */
const READS = (personId: string) => [
  `/v1/persons/${personId}/code`,
  `/v1/persons/${personId}/status`,
  `/v1/persons/${personId}/results`,
  `/v1/persons/${personId}/vaccinations`,
  `/v1/persons/${personId}/checkins`,
];

async function statuses(token: string, personId: string): Promise<number[]> {
  return Promise.all(READS(personId).map(async (p) => (await call("GET", p, { token })).status));
}

async function listed(token: string): Promise<string[]> {
  const res = await call("GET", "/v1/persons", { token });
  expect(res.status).toBe(200);
  return res.body.persons.map((p: { personId: string }) => p.personId);
}

/** The person applies with a real-name login and checks in at a hospital. */
async function personWithAccount() {
  const idNumber = freshResidentId();
  const token = await realNameToken(`owner-${uniq()}`, idNumber);
  const res = await call("POST", "/v1/persons", { token, body: applicant(idNumber, { name: REAL_NAME }) });
  expect(res.status).toBe(201);
  const personId = res.body.personId as string;
  const hospital = await aVenue(token, { name: "四川省人民医院", category: "hospital" });
  const checkIn = await call("POST", "/v1/checkins", {
    token,
    body: { placeCode: hospital.placeCode, personId, location: CHENGDU },
  });
  expect(checkIn.status).toBe(201);
  return { idNumber, token, personId };
}

const managersOf = async (token: string, personId: string) => {
  const res = await call("GET", `/v1/persons/${personId}/managers`, { token });
  expect(res.status).toBe(200);
  return res.body.managers as {
    managerId: string;
    relationship: string;
    status: string;
    self: boolean;
    you: boolean;
    displacedSelf: boolean;
  }[];
};

const problem = (res: { status: number; body: Record<string, unknown> }) => ({
  status: res.status,
  type: res.body.type,
  title: res.body.title,
  detail: res.body.detail,
});

describe("a relative's application for a person with their own account waits for consent", () => {
  it("gives the applicant nothing until the person approves, and what a manager should see after", async () => {
    const person = await personWithAccount();
    const stranger = await idToken(`knows-the-number-${uniq()}`);
    const asked = await call("POST", "/v1/persons", {
      token: stranger,
      body: applicant(person.idNumber, { name: REAL_NAME, relationship: "parent" }),
    });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ personId: person.personId, status: "pending" });
    expect(asked.body.requestId).toEqual(expect.any(String));
    expect(asked.body.color).toBeUndefined();

    // Nothing: not the code, status, results, vaccinations or where they have been; not even a listing.
    expect(await statuses(stranger, person.personId)).toEqual([403, 403, 403, 403, 403]);
    expect(await listed(stranger)).not.toContain(person.personId);
    // Asking again changes nothing and files no second request.
    const again = await call("POST", "/v1/persons", {
      token: stranger,
      body: applicant(person.idNumber, { name: REAL_NAME, relationship: "parent" }),
    });
    expect(again.status).toBe(202);
    expect(again.body.requestId).toBe(asked.body.requestId);

    // The person sees the request (in their managers and as a notice) and approves it.
    const pending = (await managersOf(person.token, person.personId)).filter((m) => m.status === "pending");
    expect(pending).toEqual([
      expect.objectContaining({ managerId: asked.body.requestId, relationship: "parent" }),
    ]);
    const status = await call("GET", `/v1/persons/${person.personId}/status`, { token: person.token });
    expect(status.body.history).toContainEqual(
      expect.objectContaining({ type: "notice", kind: "manager_request", requestId: asked.body.requestId }),
    );
    // The applicant cannot approve itself.
    expect(
      (
        await call("POST", `/v1/persons/${person.personId}/managers/${asked.body.requestId}/approve`, {
          token: stranger,
        })
      ).status,
    ).toBe(403);
    const approved = await call(
      "POST",
      `/v1/persons/${person.personId}/managers/${asked.body.requestId}/approve`,
      {
        token: person.token,
      },
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "active", relationship: "parent" });

    // Code, status, results and vaccinations; not the check-ins of an adult with their own account.
    expect(await statuses(stranger, person.personId)).toEqual([200, 200, 200, 200, 403]);
    expect(await listed(stranger)).toContain(person.personId);
    // A manager does not manage the person's managers.
    expect((await call("GET", `/v1/persons/${person.personId}/managers`, { token: stranger })).status).toBe(
      403,
    );

    // On the person's shard (workers/audit/log.ts), none in the registry.
    const audits = await shardAudit("target = ? AND action LIKE 'person.%'", person.personId);
    expect(await registryAudit("target = ?", person.personId)).toEqual([]);
    expect(audits.map((r) => r.action)).toEqual([
      "person.proxy_apply",
      "person.proxy_apply",
      "person.manager_approve",
    ]);
  });

  it("a denied request gives nothing, and asking again is refused while the denial stands", async () => {
    const person = await personWithAccount();
    const nosy = await idToken(`denied-${uniq()}`);
    const body = applicant(person.idNumber, { name: REAL_NAME, relationship: "spouse" });
    const asked = await call("POST", "/v1/persons", { token: nosy, body });
    const denied = await call(
      "POST",
      `/v1/persons/${person.personId}/managers/${asked.body.requestId}/deny`,
      {
        token: person.token,
      },
    );
    expect(denied.status).toBe(200);
    expect(await statuses(nosy, person.personId)).toEqual([403, 403, 403, 403, 403]);
    expect((await call("POST", "/v1/persons", { token: nosy, body })).status).toBe(403);
    // A denied request is no longer listed, and cannot then be approved.
    expect((await managersOf(person.token, person.personId)).map((m) => m.managerId)).not.toContain(
      asked.body.requestId,
    );
    expect(
      (
        await call("POST", `/v1/persons/${person.personId}/managers/${asked.body.requestId}/approve`, {
          token: person.token,
        })
      ).status,
    ).toBe(409);
  });

  it("a removed manager is refused at once, even right after reading the code", async () => {
    const person = await personWithAccount();
    const relative = await idToken(`removed-${uniq()}`);
    const asked = await call("POST", "/v1/persons", {
      token: relative,
      body: applicant(person.idNumber, { name: REAL_NAME, relationship: "child" }),
    });
    await call("POST", `/v1/persons/${person.personId}/managers/${asked.body.requestId}/approve`, {
      token: person.token,
    });
    expect((await call("GET", `/v1/persons/${person.personId}/code`, { token: relative })).status).toBe(200);

    const removed = await call("DELETE", `/v1/persons/${person.personId}/managers/${asked.body.requestId}`, {
      token: person.token,
    });
    expect(removed.status).toBe(204);
    expect(await statuses(relative, person.personId)).toEqual([403, 403, 403, 403, 403]);
    expect(await listed(relative)).not.toContain(person.personId);
    const audit = await shardAudit("target = ? AND action = ?", person.personId, "person.manager_remove");
    expect(audit.length).toBe(1);
    // The person cannot remove their own account by mistake.
    const me = (await managersOf(person.token, person.personId)).find((m) => m.you)!;
    expect(
      (
        await call("DELETE", `/v1/persons/${person.personId}/managers/${me.managerId}`, {
          token: person.token,
        })
      ).status,
    ).toBe(409);
  });
});

describe("the name must match the record", () => {
  it("a wrong name changes nothing and reveals nothing", async () => {
    const person = await personWithAccount();
    const before = await personShard(person.personId)
      .prepare("SELECT name_enc, masked_name FROM persons WHERE person_id = ?")
      .bind(person.personId)
      .first<{ name_enc: string; masked_name: string }>();
    const third = await idToken(`wrong-name-${uniq()}`);
    const wrong = await call("POST", "/v1/persons", {
      token: third,
      body: applicant(person.idNumber, { name: "王冒名", relationship: "parent" }),
    });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(wrong.body)).not.toMatch(/王|冒名|李|pending|registered/);
    expect(await statuses(third, person.personId)).toEqual([403, 403, 403, 403, 403]);

    // The same answer as every other refusal on the record's grounds (here: an identity held by another
    // login, claimed by a login that does not prove it).
    const claimant = await idToken(`claims-self-${uniq()}`);
    const held = await call("POST", "/v1/persons", {
      token: claimant,
      body: applicant(person.idNumber, { name: REAL_NAME }),
    });
    expect(problem(wrong)).toEqual(problem(held));

    // The record, the person's list and the managers are untouched.
    const after = await personShard(person.personId)
      .prepare("SELECT name_enc, masked_name FROM persons WHERE person_id = ?")
      .bind(person.personId)
      .first<{ name_enc: string; masked_name: string }>();
    expect(after).toEqual(before);
    expect(await decryptPii(env.PII_KEY, after!.name_enc)).toBe(REAL_NAME);
    expect((await managersOf(person.token, person.personId)).length).toBe(1);
    const [audit] = await shardAudit("target = ? AND action = 'person.proxy_apply'", person.personId);
    expect(JSON.parse(audit!.detail!)).toMatchObject({ outcome: "refused", reason: "name_mismatch" });
  });

  it("a relative's wrong name for a person without an account is refused too", async () => {
    const idNumber = freshResidentId();
    const mother = await idToken(`mother-${uniq()}`);
    const first = await call("POST", "/v1/persons", {
      token: mother,
      body: applicant(idNumber, { name: "王小明", relationship: "child" }),
    });
    expect(first.status).toBe(201);
    const stranger = await idToken(`stranger-${uniq()}`);
    const wrong = await call("POST", "/v1/persons", {
      token: stranger,
      body: applicant(idNumber, { name: "王大明", relationship: "child" }),
    });
    expect(wrong.status).toBe(403);
    expect(await listed(stranger)).toEqual([]);
  });
});

describe("no squatting", () => {
  it("a real-name application displaces an unproven self binding and replaces its made-up name", async () => {
    const idNumber = freshResidentId();
    const squatter = await idToken(`squatter-${uniq()}`);
    const squat = await call("POST", "/v1/persons", {
      token: squatter,
      body: applicant(idNumber, { name: "假名字" }),
    });
    expect(squat.status).toBe(201);
    const personId = squat.body.personId as string;
    expect((await call("GET", `/v1/persons/${personId}/code`, { token: squatter })).status).toBe(200);

    const real = await realNameToken(`real-${uniq()}`, idNumber);
    // The typed name does not matter: the provider's asserted name is the record.
    const mine = await call("POST", "/v1/persons", {
      token: real,
      body: applicant(idNumber, { name: "假名字" }),
    });
    expect(mine.status).toBe(201);
    expect(mine.body.personId).toBe(personId);
    expect(mine.body.maskedName).toBe("李*英");

    // At once the squatter reads nothing, and the person's list shows their real name.
    expect(await statuses(squatter, personId)).toEqual([403, 403, 403, 403, 403]);
    const own = await call("GET", "/v1/persons", { token: real });
    expect(own.body.persons).toEqual([
      expect.objectContaining({ personId, maskedName: "李*英", relationship: "self" }),
    ]);
    const row = await personShard(personId)
      .prepare("SELECT name_enc FROM persons WHERE person_id = ?")
      .bind(personId)
      .first<{ name_enc: string }>();
    expect(await decryptPii(env.PII_KEY, row!.name_enc)).toBe(REAL_NAME);

    // The squatter is now a pending request the person answers.
    const request = (await managersOf(real, personId)).find((m) => m.displacedSelf)!;
    expect(request).toMatchObject({ status: "pending", self: false });
    const denied = await call("POST", `/v1/persons/${personId}/managers/${request.managerId}/deny`, {
      token: real,
    });
    expect(denied.status).toBe(200);
    // The made-up name no longer matches anything, and the squatter cannot take the code back.
    expect(
      (await call("POST", "/v1/persons", { token: squatter, body: applicant(idNumber, { name: "假名字" }) }))
        .status,
    ).toBe(403);
    expect((await call("GET", `/v1/persons/${personId}/code`, { token: squatter })).status).toBe(403);
  });
});

describe("persons without their own account", () => {
  it("a child applied for by a parent is bound at once, and the parent sees the child's check-ins", async () => {
    const idNumber = residentId("510104", "20180301", 412);
    const parent = await idToken(`parent-${uniq()}`);
    const res = await call("POST", "/v1/persons", {
      token: parent,
      body: applicant(idNumber, { name: "张小宝", relationship: "child" }),
    });
    expect(res.status).toBe(201);
    const personId = res.body.personId as string;
    const school = await aVenue(parent, { name: "成都市实验小学", category: "school" });
    const checkIn = await call("POST", "/v1/checkins", {
      token: parent,
      body: { placeCode: school.placeCode, personId, location: CHENGDU },
    });
    expect(checkIn.status).toBe(201);
    expect(await statuses(parent, personId)).toEqual([200, 200, 200, 200, 200]);
    const visits = await call("GET", `/v1/persons/${personId}/checkins`, { token: parent });
    expect(visits.body.checkins.map((c) => c.venueName)).toEqual(["成都市实验小学"]);

    // The child gets their own real-name account while still a minor: the parent still sees where they are.
    const child = await realNameToken(`child-${uniq()}`, idNumber, "张小宝");
    expect(
      (await call("POST", "/v1/persons", { token: child, body: applicant(idNumber, { name: "张小宝" }) }))
        .status,
    ).toBe(201);
    expect((await call("GET", `/v1/persons/${personId}/checkins`, { token: parent })).status).toBe(200);
  });

  it("an adult without an account is bound at once, and later applies and removes the proxy", async () => {
    const idNumber = residentId("510104", "19450720", 236);
    const grandson = await idToken(`grandson-${uniq()}`);
    const res = await call("POST", "/v1/persons", {
      token: grandson,
      body: applicant(idNumber, { name: REAL_NAME, relationship: "parent" }),
    });
    expect(res.status).toBe(201);
    const personId = res.body.personId as string;
    // Without an account of her own, the grandson sees everything, where she has been included.
    expect(await statuses(grandson, personId)).toEqual([200, 200, 200, 200, 200]);

    const grandma = await realNameToken(`grandma-${uniq()}`, idNumber);
    const own = await call("POST", "/v1/persons", {
      token: grandma,
      body: applicant(idNumber, { name: REAL_NAME }),
    });
    expect(own.status).toBe(201);
    expect(own.body.personId).toBe(personId);
    // Now an adult with her own account: her whereabouts are hers.
    expect(await statuses(grandson, personId)).toEqual([200, 200, 200, 200, 403]);

    const managers = await managersOf(grandma, personId);
    expect(managers.map((m) => [m.relationship, m.status, m.you])).toEqual([
      ["parent", "active", false],
      ["self", "active", true],
    ]);
    const proxy = managers.find((m) => !m.you)!;
    const removed = await call("DELETE", `/v1/persons/${personId}/managers/${proxy.managerId}`, {
      token: grandma,
    });
    expect(removed.status).toBe(204);
    expect(await statuses(grandson, personId)).toEqual([403, 403, 403, 403, 403]);
    // Applying again is now a request she answers, not a binding.
    const again = await call("POST", "/v1/persons", {
      token: grandson,
      body: applicant(idNumber, { name: REAL_NAME, relationship: "parent" }),
    });
    expect(again.status).toBe(202);
  });
});

describe("identity numbers cannot be probed in bulk", () => {
  it(`an account files at most ${PROXY_REQUESTS_PER_DAY} requests or refusals a day, then 429 with Retry-After`, async () => {
    const prober = await idToken(`prober-${uniq()}`);
    const targets = await Promise.all(
      Array.from({ length: PROXY_REQUESTS_PER_DAY + 1 }, () => personWithAccount().then((p) => p.idNumber)),
    );
    const first = await call("POST", "/v1/persons", {
      token: prober,
      body: applicant(targets[0]!, { name: REAL_NAME, relationship: "other" }),
    });
    expect(first.status).toBe(202);
    for (const idNumber of targets.slice(1, PROXY_REQUESTS_PER_DAY)) {
      const res = await call("POST", "/v1/persons", {
        token: prober,
        body: applicant(idNumber, { name: "猜一个", relationship: "other" }),
      });
      expect(res.status).toBe(403);
    }
    const over = await call("POST", "/v1/persons", {
      token: prober,
      body: applicant(targets[PROXY_REQUESTS_PER_DAY]!, { name: REAL_NAME, relationship: "other" }),
    });
    expect(over.status).toBe(429);
    expect(over.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // A request already filed is still answered (a retry is not a new request).
    const retry = await call("POST", "/v1/persons", {
      token: prober,
      body: applicant(targets[0]!, { name: REAL_NAME, relationship: "other" }),
    });
    expect(retry.status).toBe(202);
    expect(retry.body.requestId).toBe(first.body.requestId);
    // A child without an account still binds: binding uses none of the allowance.
    const child = await call("POST", "/v1/persons", {
      token: prober,
      body: applicant(residentId("510104", "20190101", 77), { name: "小宝", relationship: "child" }),
    });
    expect(child.status).toBe(201);
  });
});
