// The capacity model (`npm run capacity`): its arithmetic, its discovery of migrations, its
// measurement in SQLite, and the command itself at Sichuan's volumes and at ten times them.
// Run with `npm run test:node` (Node 22: node:sqlite).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { measureSchema } from "../../scripts/capacity/measure.mjs";
import {
  check,
  DEFAULT_VOLUMES,
  folderRoles,
  HEADROOM,
  LIMITS,
  notifyDrainMinutes,
  objectTableRows,
  parseArgs,
  projectDatabases,
  projectObjects,
  projectQueues,
} from "../../scripts/capacity/model.mjs";
import { d1MigrationFolders, objectMigrationLists } from "../../scripts/capacity/sources.mjs";
import { runScript } from "../helpers/node/run-script.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const CLI = join(ROOT, "scripts/capacity.mjs");

const run = (args) => runScript(CLI, args);

describe("capacity arithmetic", () => {
  it("reads every volume as a flag, in either form, and refuses unknown ones", () => {
    const { volumes } = parseArgs(["--persons", "837000000", "--shards=4", "--results-per-day", "1_000"]);
    assert.equal(volumes.persons, 837_000_000);
    assert.equal(volumes.shards, 4);
    assert.equal(volumes.resultsPerDay, 1000);
    assert.equal(parseArgs([]).volumes.persons, DEFAULT_VOLUMES.persons);
    assert.throws(() => parseArgs(["--personz", "1"]), /unknown argument --personz/);
    assert.throws(() => parseArgs(["--persons", "many"]), /not a number/);
    assert.throws(() => parseArgs(["--shards", "0"]), /shards/);
    assert.throws(() => parseArgs(["--persons"]), /needs a value/);
  });

  it("scales the busiest venue with the day's check-ins unless it is given", () => {
    const base = parseArgs([]).volumes.busiestVenueCheckinsPerDay;
    assert.equal(parseArgs(["--checkins-per-day", "200000000"]).volumes.busiestVenueCheckinsPerDay, base * 2);
    const given = parseArgs(["--checkins-per-day", "200000000", "--busiest-venue-checkins-per-day", "5"]);
    assert.equal(given.volumes.busiestVenueCheckinsPerDay, 5);
  });

  it("picks the fewest notify queues that drain an event within the target", () => {
    const { volumes } = parseArgs([]);
    assert.ok(notifyDrainMinutes(volumes) <= volumes.notifyDrainMinutes);
    assert.ok(
      notifyDrainMinutes({ ...volumes, notifyQueues: volumes.notifyQueues - 1 }) > volumes.notifyDrainMinutes,
    );
    // 33 M messages at 5,000/s per queue within 10 minutes: 11 queues.
    assert.equal(volumes.notifyQueues, 11);
    assert.equal(parseArgs(["--notify-queues", "4"]).volumes.notifyQueues, 4);
  });

  it("spreads person- and account-keyed rows over the shards and keeps the registry whole", () => {
    const v = { ...parseArgs([]).volumes, persons: 1_000_000, bindings: 2_000_000 };
    const measured = [
      { table: "persons", bytesPerRow: 200, columns: ["person_id"] },
      { table: "account_persons", bytesPerRow: 100, columns: ["account_id", "person_id"] },
      { table: "venues", bytesPerRow: 400, columns: ["venue_id"] },
    ];
    const one = projectDatabases({ ...v, shards: 1 }, measured).databases;
    const many = projectDatabases({ ...v, shards: 8 }, measured).databases;
    assert.equal(one[1].projectedBytes, 1_000_000 * 200 + 2_000_000 * 100);
    assert.equal(many[1].projectedBytes, one[1].projectedBytes / 8);
    assert.equal(one[0].projectedBytes, many[0].projectedBytes);
    assert.equal(one[0].projectedBytes, v.venues * 400);
  });

  it("places an unknown table by its columns and says so; a shard folder overrides the registry", () => {
    const v = { ...parseArgs([]).volumes, shards: 1 };
    const { tables, notes } = projectDatabases(v, [
      { table: "person_badges", bytesPerRow: 50, columns: ["person_id", "badge"] },
      { table: "venue_tags", bytesPerRow: 50, columns: ["venue_id"], folder: "shard" },
    ]);
    assert.equal(tables.find((t) => t.table === "person_badges").db, "person");
    assert.equal(tables.find((t) => t.table === "person_badges").rows, v.persons);
    assert.equal(tables.find((t) => t.table === "venue_tags").db, "person");
    assert.match(notes.join("\n"), /person_badges has no volume/);
  });

  it("tells the shard migrations folder from the registry's, by name or by its tables", () => {
    assert.deepEqual(folderRoles([{ name: "drizzle.config.ts schema/migrations", tables: ["persons"] }]), [
      undefined,
    ]);
    assert.deepEqual(
      folderRoles([
        { name: "drizzle.config.ts schema/migrations", tables: ["persons"] },
        { name: "drizzle.shards.config.ts schema/shard-migrations", tables: [] },
      ]),
      ["registry", "shard"],
    );
    assert.deepEqual(
      folderRoles([
        { name: "drizzle.config.ts a", tables: ["venues", "labs", "audit_log"] },
        { name: "drizzle.b.config.ts b", tables: ["persons", "account_persons", "test_results"] },
      ]),
      ["registry", "shard"],
    );
  });

  it("counts a table found in both folders once, on the shards", () => {
    const v = { ...parseArgs([]).volumes, shards: 1 };
    const row = { table: "persons", bytesPerRow: 100, columns: ["person_id"] };
    const { databases, notes } = projectDatabases(v, [
      { ...row, folder: "registry" },
      { ...row, folder: "shard" },
    ]);
    assert.equal(databases[0].projectedBytes, 0);
    assert.equal(databases[1].projectedBytes, v.persons * 100);
    assert.match(notes[0], /persons is in both/);
  });

  it("warns, without failing, when an object's peak rate passes half of ~1,000 requests/s", () => {
    const report = {
      databases: [],
      objects: [
        {
          class: "LogSequencer",
          largestProjectedBytes: 1,
          limitBytes: LIMITS.objectBytes,
          peakRequestsPerSecond: 501,
        },
      ],
      queues: [],
    };
    const { failures, warnings } = check(report);
    assert.deepEqual(failures, []);
    assert.match(warnings[0], /LogSequencer: 501 requests\/s/);
  });

  it("fails past half a limit, not at it", () => {
    const at = (bytes) => ({
      databases: [{ name: "x", projectedBytes: bytes, limitBytes: LIMITS.d1Bytes, peakWritesPerSecond: 1 }],
      objects: [],
      queues: [],
    });
    assert.deepEqual(check(at(LIMITS.d1Bytes * HEADROOM)).failures, []);
    assert.match(check(at(LIMITS.d1Bytes * HEADROOM + 1)).failures[0], /database x/);
  });

  it("projects a venue object's check-ins over the retention window, whatever its tables are called", () => {
    const v = parseArgs([]).volumes;
    const visits = { table: "visits", columns: ["check_in_id", "person_id", "at"], bytesPerRow: 300 };
    assert.equal(
      objectTableRows("venue", visits, v).rows,
      v.busiestVenueCheckinsPerDay * v.checkinRetentionDays,
    );
    const { objects } = projectObjects(v, [{ className: "VenueObject", tables: [visits] }]);
    assert.equal(
      objects[0].largestProjectedBytes,
      v.busiestVenueCheckinsPerDay * v.checkinRetentionDays * 300,
    );
  });
});

describe("the model's queues", () => {
  it("projects every queue wrangler.toml consumes (the dead letters aside), and only those", () => {
    const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    const consumed = [...toml.matchAll(/\[\[queues\.consumers\]\]\s*\nqueue = "([^"]+)"/g)]
      .map((m) => m[1].replace(/^(healthpass-notify)-\d+$/, "$1"))
      .filter((q) => q !== "healthpass-dead-letters");
    const projected = projectQueues(DEFAULT_VOLUMES).map((q) => q.name.replace(/ \(each of \d+\)$/, ""));
    assert.deepEqual([...new Set(consumed)].sort(), projected.sort());
  });
});

describe("capacity sources and measurement", () => {
  const dirs = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("finds every drizzle config's migrations folder", () => {
    const root = mkdtempSync(join(tmpdir(), "capacity-"));
    dirs.push(root);
    for (const [config, out] of [
      ["drizzle.config.ts", "schema/migrations"],
      ["drizzle.shards.config.ts", "schema/shard-migrations"],
    ]) {
      mkdirSync(join(root, out), { recursive: true });
      writeFileSync(join(root, config), `export default { dialect: "sqlite", out: "./${out}" };\n`);
      writeFileSync(
        join(root, out, "0000_a.sql"),
        "CREATE TABLE `a` (`x` text);\n--> statement-breakpoint\nCREATE INDEX `ax` ON `a` (`x`);",
      );
    }
    const folders = d1MigrationFolders(root);
    assert.deepEqual(
      folders.map((f) => [f.config, f.dir, f.sql.length]),
      [
        ["drizzle.config.ts", "schema/migrations", 2],
        ["drizzle.shards.config.ts", "schema/shard-migrations", 2],
      ],
    );
  });

  it("loads an object's storage migrations even when its module does not export them", async () => {
    const root = mkdtempSync(join(tmpdir(), "capacity-"));
    dirs.push(root);
    mkdirSync(join(root, "durable"));
    writeFileSync(
      join(root, "wrangler.toml"),
      '[[durable_objects.bindings]]\nname = "TOLL"\nclass_name = "TollGate"\n',
    );
    writeFileSync(
      join(root, "durable/storage-migrations.ts"),
      "export interface StorageMigration { version: number; name: string; sql: string }\nexport function migrateStorage(_s: unknown, _m: unknown) {}\n",
    );
    writeFileSync(
      join(root, "durable/toll.ts"),
      `import { DurableObject } from "cloudflare:workers";
import { migrateStorage, type StorageMigration } from "./storage-migrations";
const COLUMNS = "id TEXT PRIMARY KEY, at TEXT NOT NULL";
const TOLL_MIGRATIONS: readonly StorageMigration[] = [
  { version: 1, name: "passes", sql: \`CREATE TABLE passes (\${COLUMNS});\` },
];
export class TollGate extends DurableObject {
  constructor(ctx: any, env: any) { super(ctx, env); migrateStorage(ctx.storage, TOLL_MIGRATIONS); }
}
`,
    );
    const lists = await objectMigrationLists(root);
    assert.equal(lists.length, 1);
    assert.equal(lists[0].className, "TollGate");
    assert.equal(lists[0].migrations[0].sql, "CREATE TABLE passes (id TEXT PRIMARY KEY, at TEXT NOT NULL);");
  });

  it("measures indexes with their table, in the bytes a row of realistic values takes", async () => {
    const bare = await measureSchema(["CREATE TABLE t (person_id TEXT NOT NULL, at TEXT NOT NULL)"], 2000);
    const indexed = await measureSchema(
      [
        "CREATE TABLE t (person_id TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX t_person ON t (person_id, at)",
      ],
      2000,
    );
    // A 22-character person id and a 24-character ISO time: more than 46 bytes a row, less than a page.
    assert.ok(bare.t.bytesPerRow > 46 && bare.t.bytesPerRow < 120, `${bare.t.bytesPerRow}`);
    assert.ok(indexed.t.bytesPerRow > bare.t.bytesPerRow + 40, `${indexed.t.bytesPerRow}`);
  });

  it("fills keys of days, hours and words with distinct values, as an object's per-day tables have", async () => {
    const m = await measureSchema(
      [
        "CREATE TABLE daily (day TEXT NOT NULL, color TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, color))",
        "CREATE TABLE hourly (hour TEXT PRIMARY KEY, n INTEGER NOT NULL)",
        "CREATE TABLE kinds (kind TEXT NOT NULL UNIQUE)",
      ],
      1000,
    );
    // Ten-character days with a colour and a count: tens of bytes a row, not a page shared by one row.
    for (const t of ["daily", "hourly", "kinds"])
      assert.ok(m[t].bytesPerRow > 10 && m[t].bytesPerRow < 80, `${t} ${m[t].bytesPerRow}`);
  });
});

describe("npm run capacity", { concurrency: true, timeout: 120_000 }, () => {
  let defaults;
  const runDefaults = () => {
    defaults ??= run([]);
    return defaults;
  };

  it("holds at Sichuan's volumes with the production shard count", async () => {
    const { code, stdout, stderr } = await runDefaults();
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ["volumes", "databases", "objects", "queues"]);
    assert.equal(report.volumes.persons, 83_700_000);
    assert.equal(report.volumes.shards, 64);
    for (const d of report.databases) {
      assert.deepEqual(Object.keys(d), ["name", "projectedBytes", "limitBytes", "peakWritesPerSecond"]);
      assert.ok(d.projectedBytes > 0 && d.projectedBytes <= d.limitBytes / 2, d.name);
    }
    const classes = report.objects.map((o) => o.class);
    for (const c of ["PersonObject", "LogSequencer"]) assert.ok(classes.includes(c), c);
    assert.ok(classes.some((c) => /venue/i.test(c)));
    for (const o of report.objects) {
      assert.deepEqual(Object.keys(o), [
        "class",
        "largestProjectedBytes",
        "limitBytes",
        "peakRequestsPerSecond",
      ]);
      assert.ok(o.largestProjectedBytes <= o.limitBytes / 2, o.class);
    }
    for (const q of report.queues)
      assert.deepEqual(Object.keys(q), ["name", "peakMessagesPerSecond", "limitPerSecond"]);
  });

  it("fails at ten times the persons with four shards, naming the shard, and prints the table", async () => {
    const { code, stdout, stderr } = await run(["--persons", "837000000", "--shards", "4", "--markdown"]);
    assert.equal(code, 1);
    assert.match(stderr, /OVER HALF A LIMIT: database person-shard \(each of 4\)/);
    assert.match(stdout, /^\| what +\| projected \| +limit \| +share \| +peak rate \|/);
    const shardGb = Number(/\| D1 person-shard \(each of 4\) +\| +([\d.]+) GB \|/.exec(stdout)?.[1]);
    assert.ok(shardGb > 5, `${shardGb} GB per shard`);
    assert.match(stdout, /FAILS: database person-shard/);
  });

  it("follows its flags", async () => {
    const [a, b] = await Promise.all([
      runDefaults(),
      run(["--shards", "32", "--notify-queues", "22", "--persons", "90000000"]),
    ]);
    const [ra, rb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    const shard = (r) => r.databases.find((d) => d.name.startsWith("person-shard"));
    assert.equal(shard(rb).name, "person-shard (each of 32)");
    assert.ok(shard(rb).projectedBytes > shard(ra).projectedBytes * 1.9);
    const notify = (r) => r.queues.find((q) => q.name.startsWith("healthpass-notify"));
    assert.equal(notify(rb).name, "healthpass-notify (each of 22)");
    assert.ok(Math.abs(notify(rb).peakMessagesPerSecond * 2 - notify(ra).peakMessagesPerSecond) <= 1);
    assert.equal(rb.volumes.persons, 90_000_000);
  });

  it("refuses a bad flag with its usage", async () => {
    const bad = await run(["--no-such-volume", "1"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown argument --no-such-volume/);
    assert.match(bad.stderr, /--shards 64/);
  });
});
