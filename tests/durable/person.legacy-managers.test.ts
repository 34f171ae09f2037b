import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountShardOf, personShard } from "../helpers/shards";

let n = 0;

/** A person registered before objects kept their managers: the bindings are in D1 only. */
async function legacyPerson(nameEnc: string, accountId: string) {
  const personId = `legacy-managers-${Date.now().toString(36)}-${++n}`;
  const at = new Date().toISOString();
  await personShard(personId)
    .prepare(
      "INSERT INTO persons (person_id, id_type, name_enc, masked_name, district_code, created_at) VALUES (?, 'resident_id', ?, '*', '510104', ?)",
    )
    .bind(personId, nameEnc, at)
    .run();
  await accountShardOf(accountId)
    .prepare(
      "INSERT INTO account_persons (account_id, person_id, relationship, verified, created_at) VALUES (?, ?, 'self', 1, ?)",
    )
    .bind(accountId, personId, at)
    .run();
  // The object has its colour from before it kept managers; its managers are not seeded yet.
  const stub = env.PERSON.getByName(personId);
  await stub.init({ personId, districtCode: "510104" });
  return stub;
}

describe("a legacy person's managers", () => {
  it("are seeded from the D1 bindings even when the sealed name on record no longer opens", async () => {
    const accountId = `acct-legacy-${++n}`;
    const stub = await legacyPerson("sealed-by-a-retired-format", accountId);
    expect(await stub.access(accountId)).toMatchObject({ relationship: "self", self: true });
  });
});
