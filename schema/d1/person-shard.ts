// Every person shard (PERSON_SHARD_<i>, workers/lib/shards.ts): rows keyed by person, and the
// account-keyed bindings and push subscriptions. drizzle.person-shard.config.ts reads this file; its
// migrations are schema/migrations-person, applied to every shard.
export * from "./appeals";
export * from "./colors";
export * from "./imports";
export * from "./person-audit";
export * from "./persons";
export * from "./push";
export * from "./results";
export * from "./revocations";
export * from "./vaccinations";
