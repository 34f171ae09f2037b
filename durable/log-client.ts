import type { LogAppend } from "./log-sequencer";
import { logSettings } from "./log-settings";

/** The one log's sequencer, addressed by the log's origin (a second log would be a second origin). */
export const logSequencer = (env: Env) => env.LOG_SEQUENCER.getByName(logSettings(env).origin);

/** FNV-1a, 32 bits: a cheap, stable spread of submitters over pools (not a security boundary). */
function spread(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The fan-in pool (durable/log-pool.ts) of a submitter (e.g. a person, so that one person's entries
 * always travel through the same pool in order): one of `LOG_POOLS`.
 */
export function logPool(env: Env, submitter: string) {
  const { origin, pools } = logSettings(env);
  return env.LOG_POOL.getByName(`${origin}#pool-${spread(submitter) % pools}`);
}

/** The submitter part of an idempotency key `<kind>:<submitter>:<n>` (the key itself if it has no `:`). */
export const submitterOf = (key: string) => key.slice(0, Math.max(0, key.lastIndexOf(":"))) || key;

export type { LogAppend };
