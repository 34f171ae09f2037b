// Test and bench instrument (never wired in production): an env whose D1 bindings count every
// statement they run, or fail every one, to prove which paths read no D1 and which keep answering
// when D1 is down.

export interface D1Probe {
  /** Statements executed since the last reset, with their SQL (first 200 characters). */
  readonly queries: string[];
  reset(): void;
  /** "count": pass through and record; "fail": record and throw as an unavailable database would. */
  mode: "count" | "fail";
}

const isD1 = (v: unknown): v is D1Database =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as D1Database).prepare === "function" &&
  typeof (v as D1Database).batch === "function";

/** A copy of `env` whose every D1 binding goes through the probe. */
export function probeD1<E extends object>(
  env: E,
  mode: D1Probe["mode"] = "count",
): { env: E; probe: D1Probe } {
  const queries: string[] = [];
  const probe: D1Probe = {
    queries,
    reset: () => {
      queries.length = 0;
    },
    mode,
  };
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const queriesOf = (s: D1PreparedStatement) => sqlOf.get(s) ?? "?";
  const record = (sql: string) => {
    queries.push(sql.slice(0, 200));
    if (probe.mode === "fail") throw new Error("D1_ERROR: probe: database unavailable");
  };
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...args: unknown[]) => statement(target.bind(...args), sql);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            try {
              record(sql);
            } catch (err) {
              return Promise.reject(err);
            }
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    real.set(wrapped, stmt);
    sqlOf.set(wrapped, sql);
    return wrapped;
  };
  const database = <D extends { prepare(q: string): D1PreparedStatement; batch: D1Database["batch"] }>(
    db: D,
  ): D =>
    new Proxy(db, {
      get(target, prop) {
        if (prop === "prepare") return (q: string) => statement(target.prepare(q), q);
        if (prop === "batch") {
          return (stmts: D1PreparedStatement[]) => {
            try {
              for (const s of stmts) record(`batch: ${queriesOf(s)}`);
            } catch (err) {
              return Promise.reject(err);
            }
            return target.batch(stmts.map((s) => real.get(s) ?? s));
          };
        }
        if (prop === "exec") {
          return (q: string) => {
            try {
              record(q);
            } catch (err) {
              return Promise.reject(err);
            }
            return (target as unknown as D1Database).exec(q);
          };
        }
        if (prop === "withSession") {
          return (...args: unknown[]) =>
            database((target as unknown as D1Database).withSession(...(args as [])) as unknown as D);
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(env)) {
    const v = (env as Record<string | symbol, unknown>)[key];
    out[key] = isD1(v) ? database(v) : v;
  }
  return { env: out as E, probe };
}
