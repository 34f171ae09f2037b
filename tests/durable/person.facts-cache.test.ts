import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PersonObject } from "../../durable/person";
import { DEFAULT_RULE_SET } from "../../durable/rules/default-rule-set";
import { evaluate } from "../../durable/rules/engine";
import { DAY, exposure, type Fact, freshPerson, HOUR, result } from "./helpers";

/** What the object's storage holds, read with SQL rather than through its in-memory copy. */
const storedFacts = (stub: Awaited<ReturnType<typeof freshPerson>>["stub"]) =>
  runInDurableObject(stub, (_, state) =>
    state.storage.sql
      .exec<{ body: string }>("SELECT body FROM facts ORDER BY added_at, id")
      .toArray()
      .map((r) => JSON.parse(r.body) as Fact),
  );

describe("the person object's facts in memory", () => {
  it("match storage, in its order, after concurrent calls of several facts each", async () => {
    const { stub } = await freshPerson();
    const base = Date.now() - 5 * DAY;
    // Ids out of order inside each call, so that inserts land in the middle of the list.
    const calls = Array.from({ length: 40 }, (_, k) => [
      result(`z${k}`, "negative", base + k * HOUR),
      result(`a${k}`, "negative", base + k * HOUR, "antibody"),
      result(`m${k}`, "negative", base + k * HOUR),
    ]);
    await Promise.all(calls.map((facts) => stub.addFacts(facts)));
    expect(await stub.facts()).toEqual(await storedFacts(stub));
    expect(await stub.facts("test_result")).toHaveLength(120);
  });

  it("forget a fact whose transaction rolled back", async () => {
    const { stub } = await freshPerson();
    const bad = { ...result("bad", "positive", Date.now() - HOUR), sampledAt: "not a time" };
    // Called inside the object, so that the rejection is this test's and not an RPC's.
    await runInDurableObject(stub, async (instance: PersonObject) => {
      await expect(instance.addFacts([bad])).rejects.toThrow(/not a valid time/);
    });
    expect(await stub.facts()).toEqual([]);
    expect(await storedFacts(stub)).toEqual([]);
    // The object still works, and the same id can still be added once valid.
    const good = result("bad", "positive", Date.now() - HOUR);
    expect((await stub.addFacts([good])).state.color).toBe("red");
    expect(await stub.facts()).toEqual([good]);
  });

  it("a burst of facts that change nothing, then one that does, ends as a full evaluation", async () => {
    const { stub } = await freshPerson();
    const base = Date.now() - 3 * DAY;
    const negatives = Array.from({ length: 300 }, (_, i) => result(`n${i}`, "negative", base + i * 60_000));
    const outcomes = await Promise.all(negatives.map((f) => stub.addFacts([f])));
    expect(outcomes.every((o) => o.added === 1 && !o.changed && o.state.color === "green")).toBe(true);
    // The exposure is lifted by two negatives 24 h apart after it: only later ones count.
    const visit = exposure("late", base + 2 * DAY);
    const after = await stub.addFacts([visit]);
    expect(after.state.color).toBe("yellow");
    const all = [...negatives, visit];
    const status = (await stub.status())!;
    const { color, reasons, reviewAt } = evaluate(all, new Date(), DEFAULT_RULE_SET);
    expect({ color: status.state.color, reviewAt: status.state.reviewAt }).toEqual({ color, reviewAt });
    expect(status.state.reasons.map((r) => r.facts)).toEqual(reasons.map((r) => r.facts));
  });
});
