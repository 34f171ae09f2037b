import { z } from "zod";
import { LOG_SETTINGS } from "../durable/log-settings";
import { notifyQueues } from "./lib/notify-queues";

// Every setting (`[vars]` in wrangler.toml) and secret, in one schema, parsed once per env object
// (per isolate) and failing loudly on a value it cannot read. Defaults and meanings are the README's
// Configuration table. To add a setting: one line here (its name as in wrangler.toml; it is read as
// `config(env).<camelCaseName>`), a row in the README table, and its line in wrangler.toml if it has
// a deployed value.

/** Unset and "" both mean "use the default". */
const blank = (v: unknown) => (v === "" ? undefined : v);
/** A whole number ≥ 1. */
const count = (fallback: number) =>
  z.preprocess(blank, z.coerce.number().int("a whole number").positive("a number ≥ 1").default(fallback));
const text = (fallback: string) => z.preprocess(blank, z.string().default(fallback));
/** A secret's value is never echoed in an error: only that it is missing or malformed. */
const secret = () => z.string({ error: "missing" }).min(1, "empty");
/** base64url of 32 random bytes. */
const key32 = () => secret().regex(/^[A-Za-z0-9_-]{43}$/, "not 32 bytes of base64url");
const json = <T extends z.ZodType>(schema: T, fallback: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .default(fallback)
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "not JSON" });
          return z.NEVER;
        }
      })
      .pipe(schema),
  );

const SETTINGS = z.object({
  ISSUER_URL: z.url().transform((u) => u.replace(/\/$/, "")),
  /** Checked where push is sent (workers/push/vapid.ts): a missing one stops push, not the service. */
  VAPID_SUBJECT: text("").transform((s) => s.trim()),
  DEV_MODE: z.preprocess(blank, z.enum(["true", "false"]).default("false")).transform((v) => v === "true"),
  CODE_TTL_SECONDS: count(300),
  PAPER_CODE_TTL_DAYS: count(7),
  /** Each provider is checked where it is used (workers/auth/providers.ts, workers/web/boot.ts). */
  ID_PROVIDERS: json(z.array(z.record(z.string(), z.unknown())), "[]"),
  AUTHORITY_SUBJECTS: text("").transform(
    (s) =>
      new Set(
        s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      ),
  ),
  RISK_CONFIRM_THRESHOLD: count(1000),
  RULE_CONFIRM_THRESHOLD: count(1000),
  LOOKUP_LIMIT_PER_HOUR: count(120),
  MANUAL_ENTRY_LIMIT_PER_HOUR: count(120),
  PLACE_CODE_TTL_SECONDS: count(60),
  CHECKIN_RADIUS_METERS: count(1000),
  CHECKIN_RETENTION_DAYS: count(28),
  APPEAL_TARGET_HOURS: count(24),
  SHED_NONESSENTIAL_AT: count(48),
  SHED_ALL_AT: count(256),
  ISSUER_NAME: text("四川天府健康通 Sichuan Health Code"),
  ISSUER_REGION_CODE: text("CN-SC"),
  BUNDLE_TTL_HOURS: count(24),
  /** K notify queues (NOTIFY_QUEUE, NOTIFY_QUEUE_1, ...): must equal the producer bindings (workers/lib/notify-queues.ts). */
  NOTIFY_QUEUES: count(1),
  /** Must equal the PERSON_SHARD_<i> D1 bindings present (checked in `parse`). */
  PERSON_SHARDS: count(4),
  PENDING_RECORD_RETENTION_DAYS: count(90),
  COLOR_CHANGE_RETENTION_DAYS: count(90),
  AUDIT_RETENTION_DAYS: count(30),
  REGISTRY_AUDIT_RETENTION_DAYS: count(365),
  // Secrets (workers/secrets.d.ts).
  SIGNING_KEYS: json(z.array(z.record(z.string(), z.unknown())).min(1, "no key"), ""),
  PERSON_ID_KEY: key32(),
  PII_KEY: key32(),
  VAPID_PUBLIC_KEY: secret(),
  VAPID_PRIVATE_KEY: secret(),
  DEV_IDP_KEY: secret().optional(),
  // LOG_ORIGIN, LOG_POOLS, LOG_SIGNING_KEY: declared beside the log's objects, which read them too.
  ...LOG_SETTINGS.shape,
});

type Settings = z.output<typeof SETTINGS>;
type Camel<S extends string> = S extends `${infer H}_${infer T}`
  ? `${Lowercase<H>}${Capitalize<Camel<T>>}`
  : Lowercase<S>;

/** The parsed settings, by camelCase name (`CODE_TTL_SECONDS` → `codeTtlSeconds`). */
export type Config = { readonly [K in keyof Settings as Camel<K & string>]: Settings[K] } & {
  /** `ISSUER_URL` without a trailing slash: the `iss` of every code. */
  readonly issuer: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

const camel = (name: string) => name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function parse(env: Env): Config {
  const parsed = SETTINGS.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Unreadable settings (wrangler.toml [vars] or secrets): ${problems.join("; ")}`);
  }
  const boundNotifyQueues = notifyQueues(env).length;
  // An env without queue bindings (a script, a unit test) has nothing to check.
  if (boundNotifyQueues > 0 && parsed.data.NOTIFY_QUEUES !== boundNotifyQueues)
    throw new ConfigError(
      `Unreadable settings (wrangler.toml [vars] or secrets): NOTIFY_QUEUES: ${parsed.data.NOTIFY_QUEUES}, but ${boundNotifyQueues} notify queue binding(s) are bound`,
    );
  const shardProblem = shardBindingProblem(env, parsed.data.PERSON_SHARDS);
  if (shardProblem)
    throw new ConfigError(`Unreadable settings (wrangler.toml [vars] or secrets): ${shardProblem}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.data)) out[camel(k)] = v;
  out.issuer = parsed.data.ISSUER_URL;
  return Object.freeze(out) as Config;
}

/** PERSON_SHARDS = n needs bindings PERSON_SHARD_0 … PERSON_SHARD_<n-1> and no PERSON_SHARD_<n>. */
function shardBindingProblem(env: Env, n: number): string | undefined {
  const raw = env as unknown as Record<string, unknown>;
  for (let i = 0; i < n; i++)
    if (!raw[`PERSON_SHARD_${i}`]) return `PERSON_SHARDS: ${n}, but there is no D1 binding PERSON_SHARD_${i}`;
  if (raw[`PERSON_SHARD_${n}`]) return `PERSON_SHARDS: ${n}, but binding PERSON_SHARD_${n} exists too`;
  return undefined;
}

const cache = new WeakMap<object, Config>();

/** The settings of `env`, parsed on first use; throws `ConfigError` naming every unreadable one. */
export function config(env: Env): Config {
  let c = cache.get(env);
  if (!c) {
    c = parse(env);
    cache.set(env, c);
  }
  return c;
}
