// The transparency log's public algorithms: hashing, tiles, proofs, checkpoints and signed notes.
// Used by the Worker (sequencer, proof routes), the person app (in the browser) and the audit CLI.
export * from "./audit";
export * from "./bytes";
export * from "./checkpoint";
export * from "./edge";
export * from "./entries";
export * from "./hash";
export * from "./note";
export * from "./sha256";
export * from "./tiles";
export * from "./tree";
export * from "./verify";
