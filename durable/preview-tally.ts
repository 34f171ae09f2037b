import { prefectureOf } from "../schema/districts";
import type { Color } from "./rules/facts";
import type { RuleSetComparison } from "./rules/preview";

/**
 * Partial results of a rule-set preview, kept per range of persons and summed when read. Pure: the
 * preview object persists them, the range consumer computes them, the route reports them.
 */

/** `from>to`, e.g. `red>green`; only colour changes are counted. */
export type TransitionKey = `${Color}>${Color}`;
export type Counts = Partial<Record<TransitionKey, number>>;

export interface Tally {
  evaluated: number;
  changes: Counts;
  /** By prefecture code (`510100`); `""` for persons without a district (passports, other ids). */
  byPrefecture: Record<string, Counts>;
}

/** A changed person as the authority may see them: masked name and district, never an identity. */
export interface PreviewSample {
  maskedName: string;
  districtCode: string | null;
  from: Color;
  to: Color;
  decidingNow: string[];
  decidingProposed: string[];
}

export const MAX_SAMPLES = 20;

export interface EvaluatedPerson {
  maskedName: string;
  districtCode: string | null;
  /** null: the person has no colour yet (never initialised), which no publication changes. */
  comparison: RuleSetComparison | null;
}

export const emptyTally = (): Tally => ({ evaluated: 0, changes: {}, byPrefecture: {} });

function add(counts: Counts, key: TransitionKey, n: number): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** The tally of one page of persons and its first changed persons as samples (at most `maxSamples`). */
export function tallyPage(
  persons: readonly EvaluatedPerson[],
  maxSamples = MAX_SAMPLES,
): { tally: Tally; samples: PreviewSample[] } {
  const tally = emptyTally();
  const samples: PreviewSample[] = [];
  for (const p of persons) {
    tally.evaluated++;
    const c = p.comparison;
    if (!c || c.from === c.to) continue;
    const key: TransitionKey = `${c.from}>${c.to}`;
    add(tally.changes, key, 1);
    const prefecture = (p.districtCode && prefectureOf(p.districtCode)) || "";
    tally.byPrefecture[prefecture] ??= {};
    add(tally.byPrefecture[prefecture], key, 1);
    if (samples.length < maxSamples)
      samples.push({
        maskedName: p.maskedName,
        districtCode: p.districtCode,
        from: c.from,
        to: c.to,
        decidingNow: c.decidingNow,
        decidingProposed: c.decidingProposed,
      });
  }
  return { tally, samples };
}

export function mergeTally(a: Tally, b: Tally): Tally {
  const out: Tally = {
    evaluated: a.evaluated + b.evaluated,
    changes: { ...a.changes },
    byPrefecture: Object.fromEntries(Object.entries(a.byPrefecture).map(([k, v]) => [k, { ...v }])),
  };
  for (const [k, n] of Object.entries(b.changes)) add(out.changes, k as TransitionKey, n);
  for (const [p, counts] of Object.entries(b.byPrefecture)) {
    out.byPrefecture[p] ??= {};
    for (const [k, n] of Object.entries(counts)) add(out.byPrefecture[p], k as TransitionKey, n);
  }
  return out;
}

export interface ChangeCount {
  from: Color;
  to: Color;
  count: number;
}

const RANK: Record<Color, number> = { green: 0, yellow: 1, red: 2 };

/** Counts as a list, strongest starting colour first (red→…, yellow→…, green→…). */
export function changeList(counts: Counts): ChangeCount[] {
  return Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([k, count]) => {
      const [from, to] = k.split(">") as [Color, Color];
      return { from, to, count: count ?? 0 };
    })
    .sort((a, b) => RANK[b.from] - RANK[a.from] || RANK[b.to] - RANK[a.to]);
}

export const changedCount = (counts: Counts): number =>
  Object.values(counts).reduce((s, n) => s + (n ?? 0), 0);

/** Prefectures with their changes, most changes first; persons without a district last (null). */
export function districtList(
  byPrefecture: Record<string, Counts>,
): { districtCode: string | null; changes: ChangeCount[] }[] {
  return Object.entries(byPrefecture)
    .map(([p, counts]) => ({ districtCode: p || null, changes: changeList(counts), n: changedCount(counts) }))
    .filter((d) => d.n > 0)
    .sort(
      (a, b) =>
        Number(a.districtCode === null) - Number(b.districtCode === null) ||
        b.n - a.n ||
        (a.districtCode ?? "").localeCompare(b.districtCode ?? ""),
    )
    .map(({ districtCode, changes }) => ({ districtCode, changes }));
}
