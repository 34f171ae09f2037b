/**
 * A district designation covers every venue whose GB/T 2260 code lies inside it: a province
 * (510000) its whole prefix 51, a prefecture (510100) 5101, a county only itself. As a LIKE pattern,
 * so D1 selects the venues without the Worker reading them.
 */
export function districtPattern(code: string): string {
  if (code.endsWith("0000")) return `${code.slice(0, 2)}%`;
  if (code.endsWith("00")) return `${code.slice(0, 4)}%`;
  return code;
}

export type BreakerVerdict = { go: true } | { go: false; affected: number; threshold: number };

/**
 * The circuit breaker: a designation that would turn more than `threshold` persons yellow needs an
 * explicit confirmation, so a mistyped district code or window cannot reach a city by accident.
 */
export function breaker(affected: number, threshold: number, confirm: boolean | undefined): BreakerVerdict {
  return affected > threshold && confirm !== true ? { go: false, affected, threshold } : { go: true };
}

/** Whether a visit at `at` falls in the designation's window (both ends included). */
export function inWindow(at: string, from: string, to: string): boolean {
  const t = Date.parse(at);
  return t >= Date.parse(from) && t <= Date.parse(to);
}
