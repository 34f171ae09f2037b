// Every D1 table, one file per area: the registry database's (registry.ts) and every person shard's
// (person-shard.ts), each with its own drizzle-kit config and migrations.
export * from "./person-shard";
export * from "./registry";
