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

/** Columns in a primary key or a unique index: their synthetic values must differ row to row. */
function uniqueColumns(db, table, cols) {
  const out = new Set(cols.filter((c) => c.pk > 0).map((c) => c.name));
  for (const idx of db.prepare(`PRAGMA index_list("${table}")`).all())
    if (idx.unique) for (const c of db.prepare(`PRAGMA index_info("${idx.name}")`).all()) out.add(c.name);
  return out;
}

/** A value of the same shape and size as `value`, different for every row `i`. */
export function distinct(value, i) {
  if (typeof value === "number") return Number.isInteger(value) ? i + 1 : value + i;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(value))
    return new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().slice(0, 13);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
  // Random ids (long) are distinct already; a short word gets the row number.
  return value.length >= 16 ? value : `${value}${i}`;
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
    const counts = {};
    for (const table of tables) {
      const cols = db.prepare(`PRAGMA table_info("${table}")`).all();
      columns[table] = cols.map((c) => c.name);
      const unique = uniqueColumns(db, table, cols);
      // OR IGNORE and a count afterwards: a constraint the generator cannot foresee costs rows, not the run.
      const insert = db.prepare(
        `INSERT OR IGNORE INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
      );
      for (let i = 0; i < rows; i++)
        insert.run(
          ...cols.map((c) => {
            const value = synthValue(table, c.name, c.type, i, rnd);
            return unique.has(c.name) ? distinct(value, i) : value;
          }),
        );
      counts[table] = db.prepare(`SELECT count(*) AS n FROM "${table}"`).get().n;
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
      tables.map((t) => [
        t,
        { bytesPerRow: Math.round(bytes[t] / Math.max(1, counts[t])), columns: columns[t] },
      ]),
    );
  } finally {
    db.close();
  }
}
