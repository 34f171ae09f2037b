import type { LogAppend } from "./log-sequencer";

/** The one log's sequencer, addressed by the log's origin (a second log would be a second origin). */
export const logSequencer = (env: Env) => env.LOG_SEQUENCER.getByName(env.LOG_ORIGIN);

/**
 * Stores entries in the log without waiting for their batch (authority routes): the alarm sequences
 * them within about a second. A failure is logged, not thrown: the action itself has been taken and
 * audited, and a retried request appends again under the same key.
 */
export async function submitToLog(env: Env, items: LogAppend[]): Promise<boolean> {
  try {
    await logSequencer(env).submit(items);
    return true;
  } catch (err) {
    console.error(
      JSON.stringify({ level: "error", msg: "log submit failed", keys: items.length, error: String(err) }),
    );
    return false;
  }
}
