/**
 * Times as a person reads them: wall-clock time in Asia/Shanghai, "2026年11月28日 07:30" in Chinese
 * and "28 Nov 2026, 07:30 (UTC+8)" in English. Machines get the ISO fields beside these texts.
 *
 * China has kept UTC+8 all year since 1991, so this is a fixed offset rather than Intl time-zone
 * data (which a runtime may lack, and which would make the rule engine's texts depend on it). Pure:
 * the rule engine, the Worker's pages and the browser bundles all use this one function.
 */

export type TimeLang = "zh" | "en";

const UTC8_MS = 8 * 3_600_000;
const MINUTE_MS = 60_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const two = (n: number) => String(n).padStart(2, "0");

function toMs(at: string | number | Date): number {
  return typeof at === "number" ? at : typeof at === "string" ? Date.parse(at) : at.getTime();
}

/**
 * `at` to the minute (seconds dropped). `round: "up"` gives the next whole minute when there are
 * seconds: for "sampled after …" and "lifts on …" a person must never act on a minute that is too early.
 */
export function peopleTime(
  at: string | number | Date,
  lang: TimeLang,
  opts: { round?: "down" | "up" } = {},
): string {
  let ms = toMs(at);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}`);
  if (opts.round === "up") ms = Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
  const d = new Date(ms + UTC8_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  return lang === "zh" ? `${y}年${m + 1}月${day}日 ${clock}` : `${day} ${MONTHS[m]} ${y}, ${clock} (UTC+8)`;
}

/** Both languages at once, for the `{zh, en}` texts of the rule engine and notices. */
export function peopleTimes(at: string | number | Date, opts: { round?: "down" | "up" } = {}) {
  return { zh: peopleTime(at, "zh", opts), en: peopleTime(at, "en", opts) };
}
