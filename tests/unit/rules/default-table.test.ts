import { describe, expect, it } from "vitest";
import { at, colorAt, evalAt, event, exposure, imported, lifted, shift, test } from "./facts.fixture";

const MINUTE = 60_000;

describe("no facts", () => {
  it("is green with no reasons and nothing to review", () => {
    expect(evalAt([], at(0))).toEqual({
      color: "green",
      reasons: [],
      reviewAt: null,
      ruleSetVersion: "2026.1",
    });
  });
});

describe("positive nucleic-acid test or confirmed: red until 28 days after a later release", () => {
  it("a positive test stays red without a release, however long", () => {
    const facts = [test("s1", "positive", at(0))];
    expect(colorAt(facts, at(0))).toBe("red");
    const ev = evalAt(facts, at(400));
    expect(ev.color).toBe("red");
    expect(ev.reviewAt).toBeNull();
    expect(ev.reasons).toHaveLength(1);
    expect(ev.reasons[0]).toMatchObject({
      rule: "positive-test",
      ruleVersion: "1",
      ruleSetVersion: "2026.1",
      color: "red",
      facts: ["result:lab1:s1"],
      since: at(0),
    });
    expect(ev.reasons[0]!.until).toBeUndefined();
    expect(ev.reasons[0]!.lift.en).toContain("release later than 20 Nov 2026, 18:00 (UTC+8)");
  });

  it("a confirmed event stays red without a release", () => {
    const ev = evalAt([event("e1", "confirmed", at(0))], at(100));
    expect(ev.color).toBe("red");
    expect(ev.reasons.map((r) => r.rule)).toEqual(["confirmed"]);
  });

  it("a positive antibody test does not turn red", () => {
    expect(colorAt([test("s1", "positive", at(0), "antibody")], at(1))).toBe("green");
  });

  for (const [name, trigger] of [
    ["positive test", test("s1", "positive", at(0))],
    ["confirmed", event("e1", "confirmed", at(0))],
  ] as const) {
    it(`${name}: red 27 days after the release, green at exactly 28 days`, () => {
      const facts = [trigger, event("r1", "released", at(10))];
      expect(colorAt(facts, at(37))).toBe("red");
      expect(colorAt(facts, shift(at(38), -1))).toBe("red");
      expect(colorAt(facts, at(38))).toBe("green");
      const ev = evalAt(facts, at(20));
      expect(ev.reviewAt).toBe(at(38));
      expect(ev.reasons[0]!.until).toBe(at(38));
      expect(ev.reasons[0]!.lift.en).toContain("on 28 Dec 2026, 18:00 (UTC+8)");
      expect(ev.reasons[0]!.lift.en).toContain("release recorded at 30 Nov 2026, 18:00 (UTC+8)");
    });

    it(`${name}: a release before it (an earlier episode) does not lift it`, () => {
      const facts = [event("r0", "released", at(-5)), trigger];
      expect(colorAt(facts, at(60))).toBe("red");
      expect(evalAt(facts, at(60)).reviewAt).toBeNull();
    });
  }

  it("a release at the very moment of the positive is not later than it", () => {
    expect(colorAt([test("s1", "positive", at(0)), event("r1", "released", at(0))], at(60))).toBe("red");
  });

  it("a second positive after an earlier release starts a new episode", () => {
    const facts = [
      test("s1", "positive", at(0)),
      event("r1", "released", at(10)),
      test("s2", "positive", at(20)),
    ];
    const ev = evalAt(facts, at(50));
    expect(ev.color).toBe("red");
    expect(ev.reasons[0]!.facts).toEqual(["result:lab1:s2"]);
    expect(ev.reasons[0]!.since).toBe(at(20));
  });
});

describe("close contact: red until 21 days after occurredAt", () => {
  const facts = [event("e1", "close_contact", at(0))];
  it("is red on day 20 and the last millisecond before day 21", () => {
    expect(colorAt(facts, at(20))).toBe("red");
    expect(colorAt(facts, shift(at(21), -1))).toBe("red");
  });
  it("is green at exactly 21 days", () => {
    expect(colorAt(facts, at(21))).toBe("green");
  });
  it("says when it lifts", () => {
    const ev = evalAt(facts, at(3));
    expect(ev.reviewAt).toBe(at(21));
    expect(ev.reasons[0]).toMatchObject({ rule: "close-contact", until: at(21), facts: ["event:e1"] });
    expect(ev.reasons[0]!.lift.zh).toContain("于 2026年12月11日 18:00 自动解除");
  });
});

describe("secondary contact: yellow until 7 days after occurredAt", () => {
  const facts = [event("e1", "secondary_contact", at(0))];
  it("is yellow on day 6, green at exactly day 7", () => {
    expect(colorAt(facts, at(6))).toBe("yellow");
    expect(colorAt(facts, shift(at(7), -1))).toBe("yellow");
    expect(colorAt(facts, at(7))).toBe("green");
  });
});

describe("risk-area visit: yellow until two negative tests 24 h apart after it, or 14 days", () => {
  const visit = exposure("c1", at(0));

  it("is yellow on day 13, green at exactly day 14", () => {
    expect(colorAt([visit], at(13))).toBe("yellow");
    expect(colorAt([visit], shift(at(14), -1))).toBe("yellow");
    expect(colorAt([visit], at(14))).toBe("green");
  });

  it("tells the way out with concrete dates", () => {
    const reason = evalAt([visit], at(1)).reasons[0]!;
    expect(reason).toMatchObject({ rule: "risk-area-visit", color: "yellow", until: at(14) });
    // Times for people, in Asia/Shanghai (T0 is 10:00 UTC, 18:00 there); ISO stays in `until`.
    expect(reason.lift.en).toBe(
      "Lifts after a negative nucleic-acid test sampled after 20 Nov 2026, 18:00 (UTC+8) and another at least 24 h later; " +
        "or on 4 Dec 2026, 18:00 (UTC+8), 14 days after 20 Nov 2026, 18:00 (UTC+8).",
    );
    expect(reason.lift.zh).toBe(
      "2026年11月20日 18:00 之后采样的核酸检测阴性 2 次、每次间隔至少 24 小时即可解除；或于 2026年12月4日 18:00 自动解除（2026年11月20日 18:00 起满 14 天）。",
    );
    expect(reason.text.zh).toBeTruthy();
  });

  it("two negatives 23 h 59 min apart do not lift it", () => {
    const facts = [visit, test("n1", "negative", at(1)), test("n2", "negative", at(1, 23, 59))];
    expect(colorAt(facts, at(3))).toBe("yellow");
    expect(evalAt(facts, at(3)).reasons[0]!.lift.en).toContain("(1 so far)");
  });

  it("two negatives exactly 24 h apart lift it when the second is sampled", () => {
    const facts = [visit, test("n1", "negative", at(1)), test("n2", "negative", at(2))];
    expect(colorAt(facts, shift(at(2), -1))).toBe("yellow");
    expect(colorAt(facts, at(2))).toBe("green");
  });

  it("a third negative can complete a pair the second could not", () => {
    const facts = [
      visit,
      test("n1", "negative", at(1)),
      test("n2", "negative", at(1, 12)),
      test("n3", "negative", at(2, 1)),
    ];
    expect(colorAt(facts, at(2, 1))).toBe("green");
  });

  it("negatives sampled before the visit do not count", () => {
    const facts = [visit, test("n1", "negative", at(-3)), test("n2", "negative", at(-1))];
    expect(colorAt(facts, at(5))).toBe("yellow");
  });

  it("a negative at the moment of the visit is not after it", () => {
    const facts = [visit, test("n1", "negative", at(0)), test("n2", "negative", at(1))];
    expect(colorAt(facts, at(5))).toBe("yellow");
  });

  it("one negative before and one after the visit do not count as a pair", () => {
    const facts = [visit, test("n1", "negative", at(0, -1)), test("n2", "negative", at(1))];
    expect(colorAt(facts, at(5))).toBe("yellow");
  });

  it("negative antibody tests do not count", () => {
    const facts = [
      visit,
      test("n1", "negative", at(1), "antibody"),
      test("n2", "negative", at(3), "antibody"),
    ];
    expect(colorAt(facts, at(5))).toBe("yellow");
  });

  it("a later visit needs its own tests, and its own 14 days", () => {
    const facts = [
      exposure("c1", at(0)),
      test("n1", "negative", at(1)),
      test("n2", "negative", at(2)),
      exposure("c2", at(3)),
    ];
    const ev = evalAt(facts, at(4));
    expect(ev.color).toBe("yellow");
    expect(ev.reasons[0]!.facts).toEqual(["exposure:ra1:c2"]);
    expect(ev.reasons[0]!.until).toBe(at(17));
    expect(colorAt(facts, at(17))).toBe("green");
  });

  it("exposures from a lifted risk area no longer count", () => {
    expect(colorAt([visit, lifted("ra1", at(2))], at(3))).toBe("green");
    expect(colorAt([visit, lifted("ra2", at(2))], at(3))).toBe("yellow");
  });

  it("a lift dated in the future counts from its own time", () => {
    const facts = [visit, lifted("ra1", at(5))];
    const ev = evalAt(facts, at(3));
    expect(ev.color).toBe("yellow");
    expect(ev.reviewAt).toBe(at(5));
    expect(colorAt(facts, at(5))).toBe("green");
  });
});

describe("imported colours keep their colour until their own lift", () => {
  it("an imported yellow lifts after 14 days", () => {
    const facts = [imported("yellow", at(0))];
    expect(colorAt(facts, at(13))).toBe("yellow");
    expect(colorAt(facts, at(14))).toBe("green");
  });
  it("an imported yellow lifts with two negatives 24 h apart after its since", () => {
    const facts = [imported("yellow", at(0)), test("n1", "negative", at(1)), test("n2", "negative", at(2))];
    expect(colorAt(facts, at(2))).toBe("green");
  });
  it("an imported red needs a release and 28 days", () => {
    const facts = [imported("red", at(0))];
    expect(colorAt(facts, at(100))).toBe("red");
    const released = [...facts, event("r1", "released", at(1))];
    expect(colorAt(released, at(28, 23))).toBe("red");
    expect(colorAt(released, at(29))).toBe("green");
  });
  it("an imported green is green", () => {
    expect(colorAt([imported("green", at(0))], at(1))).toBe("green");
  });
});

describe("the strongest colour wins", () => {
  const facts = [
    exposure("c1", at(10)),
    event("e2", "secondary_contact", at(5)),
    event("e1", "close_contact", at(0)),
  ];

  it("is red while a red rule holds, listing every reason strongest first", () => {
    const ev = evalAt(facts, at(11));
    expect(ev.color).toBe("red");
    expect(ev.reasons.map((r) => [r.rule, r.color])).toEqual([
      ["close-contact", "red"],
      ["secondary-contact", "yellow"],
      ["risk-area-visit", "yellow"],
    ]);
    expect(ev.reviewAt).toBe(at(12));
  });

  it("falls to the remaining yellow when the red lifts, then to green", () => {
    expect(colorAt(facts, at(21))).toBe("yellow");
    expect(evalAt(facts, at(21)).reasons.map((r) => r.rule)).toEqual(["risk-area-visit"]);
    expect(colorAt(facts, at(24))).toBe("green");
  });
});

describe("facts dated after now", () => {
  it("do not fire yet, and their time is when to look again", () => {
    const facts = [test("s1", "positive", at(2))];
    const ev = evalAt(facts, at(1));
    expect(ev.color).toBe("green");
    expect(ev.reviewAt).toBe(at(2));
    expect(colorAt(facts, ev.reviewAt!)).toBe("red");
  });

  it("a release dated later does not lift before its time", () => {
    const facts = [event("e1", "confirmed", at(0)), event("r1", "released", at(40))];
    expect(colorAt(facts, at(39))).toBe("red");
    expect(evalAt(facts, at(39)).reviewAt).toBe(at(40));
    expect(evalAt(facts, at(40)).reviewAt).toBe(at(68));
    expect(colorAt(facts, at(68))).toBe("green");
  });

  it("a negative dated later does not complete a pair yet", () => {
    const facts = [exposure("c1", at(0)), test("n1", "negative", at(1)), test("n2", "negative", at(2))];
    expect(colorAt(facts, shift(at(2), -MINUTE))).toBe("yellow");
    expect(evalAt(facts, at(1, 12)).reviewAt).toBe(at(2));
  });
});
