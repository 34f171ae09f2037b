// `npm run capacity`: the capacity model. Measures bytes per row of every D1 and Durable Object
// table by applying the real migrations to SQLite and inserting synthetic rows, multiplies by the
// volumes (flags; defaults: Sichuan), and prints JSON (or --markdown). Exits 1 when a database or
// an object would pass half of its storage limit; 2 on a bad argument. See README, Capacity.
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { measureSchema, sqliteVersion } from "./capacity/measure.mjs";
import {
  check,
  folderRoles,
  markdown,
  objectRole,
  parseArgs,
  projectDatabases,
  projectObjects,
  projectQueues,
  tablesMarkdown,
  USAGE,
} from "./capacity/model.mjs";
import { d1MigrationFolders, objectMigrationLists } from "./capacity/sources.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
const v = args.volumes;
const notes = [];

// D1: one schema per migrations folder (registry, person shards), each measured on its own.
const folders = [];
for (const f of d1MigrationFolders(ROOT)) {
  const m = await measureSchema(f.sql);
  folders.push({ name: `${f.config} ${f.dir}`, tables: Object.keys(m), measured: m });
}
const roles = folderRoles(folders);
const measuredD1 = folders.flatMap((f, i) =>
  Object.entries(f.measured).map(([table, t]) => ({ table, folder: roles[i], ...t })),
);
if (measuredD1.some((t) => t.table === "checkins"))
  notes.push("D1 still has a checkins table: the model counts check-ins in venue and person objects only");

// Durable Objects: every storage migration list, measured per class.
const classes = [];
for (const list of await objectMigrationLists(ROOT)) {
  const m = await measureSchema(list.migrations.map((x) => x.sql));
  classes.push({
    className: list.className,
    tables: Object.entries(m).map(([table, t]) => ({ table, ...t })),
  });
}
if (!classes.some((c) => objectRole(c.className) === "venue")) {
  // Before the venue object exists, its check-ins are D1's check-in tables: measure those.
  const tables = measuredD1.filter((t) => t.table === "checkins" || t.table === "manual_entries");
  classes.push({ className: "VenueObject", tables });
  notes.push(
    "no venue object class found: VenueObject is projected with D1's checkins and manual_entries schema",
  );
}
if (!classes.some((c) => objectRole(c.className) === "counter"))
  notes.push("no district counter object class found: none projected");

const d1 = projectDatabases(v, measuredD1);
const objects = projectObjects(v, classes);
const report = { volumes: v, databases: d1.databases, objects: objects.objects, queues: projectQueues(v) };
const verdict = check(report);
if (args.strictRates) verdict.failures.push(...verdict.warnings.splice(0));

if (args.tables) console.log(tablesMarkdown(d1.tables, objects.tables));
else if (args.markdown) {
  console.log(markdown(report, verdict));
  console.log(
    `\nMeasured with SQLite ${await sqliteVersion()} (node:sqlite, Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}).`,
  );
} else console.log(JSON.stringify(report, null, 2));
for (const n of [...notes, ...d1.notes, ...objects.notes]) console.error(`note: ${n}`);
for (const w of verdict.warnings) console.error(`warning: ${w}`);
for (const f of verdict.failures) console.error(`OVER HALF A LIMIT: ${f}`);
process.exitCode = verdict.failures.length > 0 ? 1 : 0;
