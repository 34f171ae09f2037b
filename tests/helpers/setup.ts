import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { shardDatabases } from "../../workers/lib/shards";

// Storage is isolated per test file; migrations are idempotent, so every file starts migrated: the
// registry database and every person shard.
await Promise.all([
  applyD1Migrations(env.DB, env.TEST_MIGRATIONS),
  ...shardDatabases(env).map((db) => applyD1Migrations(db, env.TEST_PERSON_MIGRATIONS)),
]);
