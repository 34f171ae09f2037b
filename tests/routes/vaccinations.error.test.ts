import { describe, expect, it } from "vitest";
import { authorityToken, call, idToken, labKey } from "../helpers/api";
import { freshResidentId } from "../helpers/identities";

async function siteKey() {
  const res = await call("POST", "/v1/authority/vaccination-sites", {
    token: await authorityToken(),
    body: { name: "接种点", districtCode: "510104" },
  });
  return res.body.siteKey as string;
}

const record = (o: Record<string, unknown> = {}) => ({
  recordId: "r",
  idType: "resident_id",
  idNumber: freshResidentId(),
  name: "张三",
  product: "CoronaVac",
  dose: 1,
  date: "2026-03-01",
  ...o,
});

describe("vaccination intake: bad input and credentials", () => {
  it("validates every record, names each bad one by index, and queues nothing", async () => {
    const key = await siteKey();
    const good = record({ recordId: "ok" });
    const badCheck = freshResidentId();
    const res = await call("POST", "/v1/vaccination/records", {
      token: key,
      body: {
        records: [
          good,
          record({ recordId: "b1", idNumber: `${badCheck.slice(0, 17)}${badCheck[17] === "1" ? "2" : "1"}` }),
          record({ recordId: "b2", dose: 0 }),
          record({ recordId: "b3", date: "2026-02-30" }),
        ],
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors?.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["records.2.dose", "records.3.date"]));
    // Zod fails first on shape; identity checks run once the shape is right.
    const id = await call("POST", "/v1/vaccination/records", {
      token: key,
      body: {
        records: [
          good,
          record({ recordId: "b1", idNumber: `${badCheck.slice(0, 17)}${badCheck[17] === "1" ? "2" : "1"}` }),
        ],
      },
    });
    expect(id.status).toBe(400);
    expect(id.body.errors?.map((e: { path: string }) => e.path)).toEqual(["records.1.idNumber"]);
    // Nothing was queued: the good record is still new.
    const again = await call("POST", "/v1/vaccination/records", { token: key, body: { records: [good] } });
    expect(again.body).toEqual({ accepted: 1, duplicates: 0 });
  });

  it("refuses more than 1,000 records", async () => {
    const key = await siteKey();
    const records = Array.from({ length: 1001 }, (_, i) => record({ recordId: `r${i}` }));
    const res = await call("POST", "/v1/vaccination/records", { token: key, body: { records } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("records");
  });

  it("takes only a vaccination-site key", async () => {
    const body = { records: [record()] };
    expect((await call("POST", "/v1/vaccination/records", { token: await labKey(), body })).status).toBe(401);
    expect((await call("POST", "/v1/vaccination/records", { body })).status).toBe(401);
    const person = await idToken("not-authority");
    expect(
      (
        await call("POST", "/v1/authority/vaccination-sites", {
          token: person,
          body: { name: "x", districtCode: "510104" },
        })
      ).status,
    ).toBe(403);
  });
});
