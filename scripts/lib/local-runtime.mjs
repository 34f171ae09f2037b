// The Worker as production would run it, locally: the bundle `wrangler deploy --dry-run` builds, run on
// workerd through the Miniflare API with local D1 (migrated), Durable Objects and Queues configured
// from wrangler.toml, in development mode, on a loopback port. Used by the benchmarks and by the
// import CLI's test; never `wrangler dev`, whose proxy is about ten times slower than workerd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { generateDevSecrets } from "../dev-secrets.mjs";

export const ROOT = new URL("../..", import.meta.url).pathname;

/** `wrangler deploy --dry-run` with the given config: the exact bundle a deploy would upload. */
export function buildBundle(config = "wrangler.toml") {
  const outdir = mkdtempSync(join(tmpdir(), "healthpass-build-"));
  const built = spawnSync(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--outdir", outdir, "--config", config],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    },
  );
  if (built.status !== 0) throw new Error(`wrangler build failed:\n${built.stdout}\n${built.stderr}`);
  const script = ["index.js", "worker.js"]
    .map((f) => join(outdir, f))
    .find((p) => readdirSync(outdir).includes(p.slice(outdir.length + 1)));
  if (!script) throw new Error(`no bundle in ${outdir}`);
  return { script, cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

/**
 * Bindings from wrangler.toml itself (vars, D1, Durable Objects, queues with their consumer settings),
 * so local runs follow the production configuration as it changes. Static assets are left out.
 */
async function optionsFromWranglerToml() {
  const { rawConfig: c } = await experimental_readRawConfig({ config: join(ROOT, "wrangler.toml") });
  const sqliteClasses = new Set((c.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    compatibilityDate: c.compatibility_date,
    compatibilityFlags: c.compatibility_flags ?? [],
    vars: c.vars ?? {},
    d1Databases: Object.fromEntries(
      (c.d1_databases ?? []).map((d) => [d.binding, `local-${d.database_name}`]),
    ),
    // Each D1 binding's migrations: the registry's and every person shard's (schema/migrations-person).
    d1Migrations: (c.d1_databases ?? []).map((d) => [d.binding, d.migrations_dir ?? "migrations"]),
    durableObjects: Object.fromEntries(
      (c.durable_objects?.bindings ?? []).map((b) => [
        b.name,
        { className: b.class_name, useSQLite: sqliteClasses.has(b.class_name) },
      ]),
    ),
    r2Buckets: Object.fromEntries((c.r2_buckets ?? []).map((b) => [b.binding, b.bucket_name])),
    queueProducers: Object.fromEntries((c.queues?.producers ?? []).map((q) => [q.binding, q.queue])),
    queueConsumers: Object.fromEntries(
      (c.queues?.consumers ?? []).map((q) => [
        q.queue,
        {
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: q.max_batch_timeout,
          maxRetries: q.max_retries,
          retryDelay: q.retry_delay,
          deadLetterQueue: q.dead_letter_queue,
        },
      ]),
    ),
  };
}

/** The top-level .sql files of a migrations folder in order, statement by statement (drizzle-kit format). */
async function applyMigrations(db, folder) {
  const dir = join(ROOT, folder);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const statements = readFileSync(join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const sql of statements) await db.prepare(sql).run();
  }
}

/**
 * Starts the bundle with fresh development secrets and migrated D1. `inMemory` keeps storage in memory
 * (no fsync); otherwise it lives in a temporary directory removed by `dispose`.
 */
export async function startLocalRuntime(
  scriptPath,
  { inMemory = false, durableObjects = {}, inspectorPort = undefined } = {},
) {
  const persist = mkdtempSync(join(tmpdir(), "healthpass-state-"));
  const o = await optionsFromWranglerToml();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new Log(LogLevel.WARN),
      // workerd's V8 inspector, for CPU profiles (bench/profile-intake.mjs); off unless asked.
      ...(inspectorPort ? { inspectorPort } : {}),
      ...(inMemory ? {} : { resourcePersistencePath: persist }),
      modules: true,
      scriptPath,
      // Module names are relative to this root; the bundle lives in a temporary directory.
      modulesRoot: dirname(scriptPath),
      compatibilityDate: o.compatibilityDate,
      compatibilityFlags: o.compatibilityFlags,
      // Development mode: the seeded lab key and the development identity provider.
      bindings: { ...o.vars, DEV_MODE: "true", ...(await generateDevSecrets()) },
      d1Databases: o.d1Databases,
      durableObjects: { ...o.durableObjects, ...durableObjects },
      r2Buckets: o.r2Buckets,
      queueProducers: o.queueProducers,
      queueConsumers: o.queueConsumers,
    }),
  );
  const url = await mf.ready;
  const databases = {};
  for (const [binding, folder] of o.d1Migrations) {
    databases[binding] = await mf.getD1Database(binding);
    await applyMigrations(databases[binding], folder);
  }
  const db = databases.DB;
  return {
    mf,
    db,
    /** Every D1 database by binding: DB and the person shards (PERSON_SHARD_<i>). */
    databases,
    origin: url.origin,
    async dispose() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
