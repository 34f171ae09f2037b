import fc from "fast-check";
import type { Fact } from "../../../durable/rules/facts";
import { at, event, exposure, imported, lifted, test } from "./facts.fixture";

// Times on a one-hour grid over 40 days, so that boundaries (24 h, whole days) are actually hit.
export const time = fc.integer({ min: -2 * 24, max: 40 * 24 }).map((h) => at(0, h));

export type FactMaker = (id: string) => Fact;

/** Every kind of fact the default rules read, at times on the grid; `extra` adds more makers. */
export function factMaker(extra: fc.Arbitrary<FactMaker>[] = []): fc.Arbitrary<FactMaker> {
  return fc.oneof(
    fc.tuple(fc.constantFrom("positive", "negative") as fc.Arbitrary<"positive" | "negative">, time).map(
      ([r, t]) =>
        (id: string) =>
          test(id, r, t),
    ),
    time.map((t) => (id: string) => test(id, "negative", t, "antibody")),
    fc
      .tuple(
        fc.constantFrom(
          "confirmed",
          "close_contact",
          "secondary_contact",
          "released",
        ) as fc.Arbitrary<"released">,
        time,
      )
      .map(
        ([k, t]) =>
          (id: string) =>
            event(id, k, t),
      ),
    fc.tuple(time, fc.constantFrom("ra1", "ra2")).map(
      ([t, ra]) =>
        (id: string) =>
          exposure(id, t, ra),
    ),
    fc.tuple(time, fc.constantFrom("ra1", "ra2")).map(
      ([t, ra]) =>
        () =>
          lifted(ra, t),
    ),
    fc.tuple(time, fc.constantFrom("green", "yellow", "red") as fc.Arbitrary<"red">).map(
      ([t, c]) =>
        () =>
          imported(c, t),
    ),
    ...extra,
  );
}

/** Distinct facts (a risk-area lift or an import may repeat: then it is the same fact). */
export const distinct = (makers: FactMaker[]): Fact[] => {
  const byId = new Map<string, Fact>();
  makers.forEach((make, i) => {
    const f = make(`f${i}`);
    byId.set(f.id, f);
  });
  return [...byId.values()];
};
