import { describe, expect, it } from "vitest";
import { accountShardIndex, personShardIndex } from "../../../workers/lib/shards";

/** A person id as the Worker derives them: base64url of 16 bytes of an HMAC (here random bytes). */
const personId = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
};

describe("the shard map", () => {
  it("puts a person always on the same shard, inside the range", () => {
    const id = personId();
    for (const n of [1, 4, 64]) {
      const i = personShardIndex(id, n);
      expect(i).toBe(personShardIndex(id, n));
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(n);
    }
    // Ids outside the alphabet (never issued, but a caller may send one) still map inside the range.
    expect(personShardIndex("../../etc", 64)).toBeLessThan(64);
  });

  it("spreads 64,000 person ids and accounts evenly over 64 shards (each within ±25% of the mean)", () => {
    const persons = new Array<number>(64).fill(0);
    const accounts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) {
      persons[personShardIndex(personId(), 64)]!++;
      accounts[accountShardIndex(`https://id.example|user-${i}`, 64)]!++;
    }
    for (const counts of [persons, accounts]) {
      expect(Math.min(...counts)).toBeGreaterThan(750);
      expect(Math.max(...counts)).toBeLessThan(1250);
    }
  });
});
