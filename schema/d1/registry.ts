// The registry database (`DB`): one of each, not keyed by person. drizzle.config.ts reads this file;
// its migrations are schema/migrations.
export * from "./audit";
export * from "./counters";
export * from "./dead-letters";
export * from "./import-chunks";
export * from "./issuers";
export * from "./keys";
export * from "./lookup-counters";
export * from "./proxy-quota";
export * from "./risk-areas";
export * from "./rule-sets";
export * from "./signing-keys";
export * from "./testing-sites";
export * from "./vaccination-sites";
export * from "./venues";
