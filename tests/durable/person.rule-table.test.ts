import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY, event, exposure, freshPerson, HOUR, MIN, result } from "./helpers";

/**
 * Every row of API.md's default table, through the Durable Object: facts dated in the past put the
 * boundary one minute ahead, and firing the alarm (which evaluates at max(now, reviewAt)) crosses it
 * with no request and no fake clock.
 */
async function crossWithAlarm(stub: Awaited<ReturnType<typeof freshPerson>>["stub"]) {
  const before = await stub.summary();
  expect(before?.reviewAt).not.toBeNull();
  // The first alarm flushes the outbox: it must not bring the review forward.
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  expect(await stub.summary()).toEqual(before);
  // The next one is the review itself.
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  return { before: before!, after: (await stub.summary())! };
}

describe("positive nucleic-acid test / confirmed: red until 28 days after release", () => {
  it.each(["positive-test", "confirmed"] as const)(
    "%s: red, still red on day 27 after release, green at day 28 by alarm",
    async (rule) => {
      const { stub } = await freshPerson();
      const t0 = Date.now() - 60 * DAY;
      const trigger =
        rule === "positive-test" ? result(`${rule}-p`, "positive", t0) : event(`${rule}-c`, "confirmed", t0);
      expect((await stub.addFacts([trigger])).state).toMatchObject({ color: "red", reviewAt: null });
      // Released 28 days minus one minute ago: still red, review one minute ahead.
      await stub.addFacts([event(`${rule}-r`, "released", Date.now() - 28 * DAY + MIN)]);
      const { before, after } = await crossWithAlarm(stub);
      expect(before.color).toBe("red");
      expect(after.color).toBe("green");
      expect(after.version).toBe(before.version + 1);
      const history = (await stub.status())!.history;
      expect(history[0]).toMatchObject({
        from: "red",
        to: "green",
        cause: { kind: "time" },
        rules: [{ rule }],
      });
    },
  );

  it("a release recorded before the positive test does not lift it", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([
      event("early-release", "released", Date.now() - 40 * DAY),
      result("late-pos", "positive", Date.now() - 30 * DAY),
    ]);
    expect(await stub.summary()).toMatchObject({ color: "red", reviewAt: null });
  });
});

describe("close contact: red until 21 days after occurredAt", () => {
  it("day 20 is red, and the alarm at day 21 turns it green", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([event("cc-20", "close_contact", Date.now() - 20 * DAY)]);
    expect((await stub.summary())?.color).toBe("red");
    const { stub: s2 } = await freshPerson();
    await s2.addFacts([event("cc-21", "close_contact", Date.now() - 21 * DAY + MIN)]);
    const { before, after } = await crossWithAlarm(s2);
    expect(before.color).toBe("red");
    expect(Date.parse(before.reviewAt!) - Date.now()).toBeLessThanOrEqual(MIN);
    expect(after.color).toBe("green");
  });

  it("a close contact more than 21 days ago never turns the person red", async () => {
    const { stub } = await freshPerson();
    expect(
      (await stub.addFacts([event("cc-old", "close_contact", Date.now() - 21 * DAY - MIN)])).state.color,
    ).toBe("green");
  });
});

describe("secondary contact: yellow until 7 days after occurredAt", () => {
  it("yellow on day 6, green at day 7 by alarm", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([event("sc-6", "secondary_contact", Date.now() - 6 * DAY)]);
    expect((await stub.summary())?.color).toBe("yellow");
    const { stub: s2 } = await freshPerson();
    await s2.addFacts([event("sc-7", "secondary_contact", Date.now() - 7 * DAY + MIN)]);
    const { before, after } = await crossWithAlarm(s2);
    expect([before.color, after.color]).toEqual(["yellow", "green"]);
  });
});

describe("risk-area visit: yellow until two negatives ≥ 24 h apart after it, or 14 days", () => {
  const visit = Date.now() - 5 * DAY;

  it("two negatives 23 h apart keep it yellow", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([
      exposure("v23", visit),
      result("n23-a", "negative", visit + HOUR),
      result("n23-b", "negative", visit + 24 * HOUR),
    ]);
    expect((await stub.summary())?.color).toBe("yellow");
  });

  it("two negatives 24 h apart lift it", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([exposure("v24", visit), result("n24-a", "negative", visit + HOUR)]);
    expect((await stub.summary())?.color).toBe("yellow");
    await stub.addFacts([result("n24-b", "negative", visit + 25 * HOUR)]);
    expect((await stub.summary())?.color).toBe("green");
  });

  it("the second negative sampled in the future (24 h after the first) lifts it by alarm", async () => {
    const { stub } = await freshPerson();
    const first = Date.now() - 24 * HOUR + MIN;
    await stub.addFacts([
      exposure("vf", visit),
      result("nf-a", "negative", first),
      result("nf-b", "negative", first + 24 * HOUR),
    ]);
    const { before, after } = await crossWithAlarm(stub);
    expect([before.color, after.color]).toEqual(["yellow", "green"]);
  });

  it("negatives sampled before the visit do not count", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([
      result("pre-a", "negative", visit - 3 * DAY),
      result("pre-b", "negative", visit - DAY),
      exposure("vpre", visit),
    ]);
    expect((await stub.summary())?.color).toBe("yellow");
  });

  it("day 13 is yellow; the alarm at day 14 turns it green", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([exposure("v13", Date.now() - 13 * DAY)]);
    expect((await stub.summary())?.color).toBe("yellow");
    const { stub: s2 } = await freshPerson();
    await s2.addFacts([exposure("v14", Date.now() - 14 * DAY + MIN)]);
    const { before, after } = await crossWithAlarm(s2);
    expect([before.color, after.color]).toEqual(["yellow", "green"]);
  });
});

describe("otherwise green; the strongest colour wins", () => {
  it("a new person is green, and negatives alone keep them green", async () => {
    const { stub } = await freshPerson();
    expect((await stub.addFacts([result("only-neg", "negative", Date.now() - DAY)])).state.color).toBe(
      "green",
    );
  });

  it("red over yellow, then yellow when the red lifts by time, then green", async () => {
    const { stub } = await freshPerson();
    await stub.addFacts([
      event("mix-cc", "close_contact", Date.now() - 21 * DAY + MIN),
      event("mix-sc", "secondary_contact", Date.now() - 2 * DAY),
    ]);
    const { before, after } = await crossWithAlarm(stub);
    expect([before.color, after.color]).toEqual(["red", "yellow"]);
    const status = (await stub.status())!;
    expect(status.state.reasons.map((r) => r.rule)).toEqual(["secondary-contact"]);
    // The lift text gives the concrete date.
    expect(status.state.reasons[0]!.lift.en).toMatch(
      /^Lifts on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \(UTC\+8\)/,
    );
  });
});
