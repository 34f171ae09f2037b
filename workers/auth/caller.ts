export type Caller = { kind: "anonymous" };
