import { z } from "zod";

// The public log's settings: part of the one settings schema (workers/config.ts spreads this shape
// into it, so the Worker fails loudly at its first request on an unreadable value), and read from here
// by the log's objects, which may not import workers/.

const blank = (v: unknown) => (v === "" ? undefined : v);

export const LOG_SETTINGS = z.object({
  /** The C2SP checkpoint origin line; the sequencer object's name; LOG_SIGNING_KEY's name. */
  LOG_ORIGIN: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[^\s+]+$/, "a name without spaces or '+'")
      .default("healthpass.local/log"),
  ),
  /** How many fan-in pools feed the sequencer (durable/log-pool.ts). Changing it only re-spreads submitters. */
  LOG_POOLS: z.preprocess(
    blank,
    z.coerce.number().int("a whole number").min(1, "≥ 1").max(1024, "≤ 1024").default(16),
  ),
  /** Secret. Go note signer key; absent means the log is not configured (nothing is sequenced, /log/key 503). */
  LOG_SIGNING_KEY: z.preprocess(
    blank,
    z
      .string()
      .regex(/^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/, "not a note signer key")
      .optional(),
  ),
});

export type LogSettings = {
  readonly origin: string;
  readonly pools: number;
  readonly signingKey: string | undefined;
};

const cache = new WeakMap<object, LogSettings>();

/** The log's settings of `env`, parsed once per env object; throws naming the unreadable ones. */
export function logSettings(env: Env): LogSettings {
  let s = cache.get(env);
  if (!s) {
    const parsed = LOG_SETTINGS.safeParse(env);
    if (!parsed.success)
      throw new Error(
        `Unreadable log settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    s = Object.freeze({
      origin: parsed.data.LOG_ORIGIN,
      pools: parsed.data.LOG_POOLS,
      signingKey: parsed.data.LOG_SIGNING_KEY,
    });
    cache.set(env, s);
  }
  return s;
}
