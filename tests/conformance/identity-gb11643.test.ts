import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkIdentity, gb11643CheckChar } from "../../workers/identity/documents";
import { derivePersonId } from "../../workers/identity/person-id";

interface Vectors {
  algorithm: { weights_positions_1_to_17: number[]; check_character_by_remainder_string: string };
  valid_public_examples: { id: string; birth_date: string }[];
  invalid_examples: { id: string; reason: string }[];
  legacy_15_digit_examples: { id15: string; id18: string }[];
}

const vectors = JSON.parse(env.TESTDATA["identity/cn-resident-id-gb11643.json"]!) as Vectors;
const nbs = JSON.parse(env.TESTDATA["gb2260/sichuan-51-nbs2022.json"]!) as Record<string, string>;

const check = (idNumber: string) => checkIdentity({ idType: "resident_id", idNumber });

/** The check character computed straight from the file's weights and table, independent of the code. */
function referenceCheck(first17: string): string {
  const w = vectors.algorithm.weights_positions_1_to_17;
  const s = [...first17].reduce((acc, d, i) => acc + Number(d) * w[i]!, 0);
  return vectors.algorithm.check_character_by_remainder_string[s % 11]!;
}

describe("GB 11643 resident identity numbers", () => {
  it.each(vectors.valid_public_examples)("accepts $id", ({ id, birth_date }) => {
    expect(check(id)).toEqual({
      ok: true,
      identity: { idType: "resident_id", idNumber: id, birthDate: birth_date },
    });
  });

  // The lower-case x is a policy choice per the file: we accept it and store the upper-case form,
  // so one person cannot end up with two ids. Every other invalid vector is rejected on idNumber.
  it.each(vectors.invalid_examples)("handles invalid $id ($reason)", ({ id }) => {
    const r = check(id);
    if (id === "11010519491231002x") {
      expect(r).toMatchObject({ ok: true, identity: { idNumber: "11010519491231002X" } });
    } else {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["idNumber"]);
    }
  });

  it("the lower-case x form maps to the same person as the upper-case one", async () => {
    const key = env.PERSON_ID_KEY;
    expect(await derivePersonId(key, { idType: "resident_id", idNumber: "11010519491231002x" })).toBe(
      await derivePersonId(key, { idType: "resident_id", idNumber: "11010519491231002X" }),
    );
  });

  it("rejects the 15-digit legacy form; its 18-digit upgrade is valid", () => {
    for (const { id15, id18 } of vectors.legacy_15_digit_examples) {
      expect(check(id15).ok).toBe(false);
      expect(check(id18).ok).toBe(true);
      const upgraded = `${id15.slice(0, 6)}19${id15.slice(6)}`;
      expect(upgraded + referenceCheck(upgraded)).toBe(id18);
    }
  });

  it("agrees with the file's procedure on every public example", () => {
    for (const { id } of vectors.valid_public_examples)
      expect(gb11643CheckChar(id.slice(0, 17))).toBe(referenceCheck(id.slice(0, 17)));
  });

  // Sichuan numbers are constructed here (none are published): each county code of the NBS 2022
  // list as address, birth dates across the range, the check character from the file's procedure.
  const counties = Object.keys(nbs).filter((c) => !c.endsWith("00"));
  it(`accepts constructed numbers for all ${counties.length} Sichuan counties`, () => {
    const births = ["19491001", "19800229", "20000101", "20231231"];
    counties.forEach((county, i) => {
      const first17 = `${county}${births[i % births.length]}${String(i % 1000).padStart(3, "0")}`;
      const id = first17 + referenceCheck(first17);
      expect(check(id), id).toMatchObject({ ok: true });
    });
  });

  it("rejects a constructed Sichuan number with any wrong check character", () => {
    const first17 = "51010419900307123";
    const right = referenceCheck(first17);
    for (const wrong of "0123456789X".replace(right, "")) {
      const r = check(first17 + wrong);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.errors[0]).toEqual({
        path: "idNumber",
        message: expect.stringMatching(/check character/),
      });
    }
  });
});
