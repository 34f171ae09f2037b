/** A scheduled job (retention, sweeps). Each is independent: one failing does not stop the others. */
export type Job = { name: string; run: (env: Env, now: Date) => Promise<void> };
