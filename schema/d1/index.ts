// Every D1 table, one file per area; drizzle-kit reads this file to generate migrations.
export * from "./audit";
export * from "./checkins";
export * from "./colors";
export * from "./dead-letters";
export * from "./issuers";
export * from "./keys";
export * from "./persons";
export * from "./push";
export * from "./results";
export * from "./revocations";
export * from "./risk-areas";
export * from "./rule-sets";
export * from "./signing-keys";
export * from "./venues";
