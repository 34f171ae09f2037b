// Bytes per row of every table, indexes included, measured in SQLite itself: the schema is applied
// to an in-memory database, ROWS synthetic rows go into each table, and SQLite's dbstat says how many
// bytes of pages each table and each of its indexes takes (free space in pages included, as billed).
import { prng, resetSynth, synthValue } from "./synth.mjs";

export const ROWS = 2000;
const INTERNAL = /^(sqlite_|_migrations$|d1_migrations$|_cf_)/;

/** node:sqlite is experimental in Node 22: load it without printing its warning to every user. */
async function loadSqlite() {
  const emit = process.emitWarning;
  process.emitWarning = (w, ...rest) => {
    if (String(w?.message ?? w).includes("SQLite")) return;
    emit.call(process, w, ...rest);
  };
  try {
    return await import("node:sqlite");
  } finally {
    process.emitWarning = emit;
  }
}

/** The SQLite that measured (for the record printed with the README's table). */
export async function sqliteVersion() {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(":memory:");
  try {
    return db.prepare("SELECT sqlite_version() AS v").get().v;
  } finally {
    db.close();
  }
}

/** { table: { bytesPerRow, columns } } for the schema that `statements` create. */
export async function measureSchema(statements, rows = ROWS) {
  const { DatabaseSync } = await loadSqlite();
  const db = new DatabaseSync(":memory:");
  try {
    db.exec("PRAGMA page_size = 4096"); // D1 and object storage use 4 KiB pages
    for (const s of statements) db.exec(s);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name)
      .filter((n) => !INTERNAL.test(n));
    resetSynth(15);
    const rnd = prng(15);
    const columns = {};
    db.exec("BEGIN");
    for (const table of tables) {
      const cols = db.prepare(`PRAGMA table_info("${table}")`).all();
      columns[table] = cols.map((c) => c.name);
      const insert = db.prepare(
        `INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
      );
      for (let i = 0; i < rows; i++)
        insert.run(...cols.map((c) => synthValue(table, c.name, c.type, i, rnd)));
    }
    db.exec("COMMIT");
    const owner = new Map(
      db
        .prepare("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
        .all()
        .map((r) => [r.name, r.tbl_name]),
    );
    const bytes = {};
    for (const { name, size } of db
      .prepare("SELECT name, sum(pgsize) AS size FROM dbstat GROUP BY name")
      .all()) {
      const table = owner.get(name);
      if (table && columns[table]) bytes[table] = (bytes[table] ?? 0) + size;
    }
    return Object.fromEntries(
      tables.map((t) => [t, { bytesPerRow: Math.round(bytes[t] / rows), columns: columns[t] }]),
    );
  } finally {
    db.close();
  }
}
