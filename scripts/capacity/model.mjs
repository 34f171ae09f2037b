// The capacity model's arithmetic: volumes (every one a flag), where each table lives, and the
// projections against Cloudflare's limits. Pure functions over plain data; the measured bytes per
// row come in as an argument (scripts/capacity/measure.mjs), so this module is tested in plain Node.

const GB = 1e9;
const DAY = 86_400;

/**
 * Platform limits, from Cloudflare's documentation:
 * - D1: "Maximum database size 10 GB (Workers Paid)", https://developers.cloudflare.com/d1/platform/limits/
 * - Durable Objects (SQLite): "Storage per Durable Object 10 GB",
 *   https://developers.cloudflare.com/durable-objects/platform/limits/ ; a single object is
 *   single-threaded, with a soft limit of about 1,000 requests per second
 *   (https://developers.cloudflare.com/durable-objects/reference/faq/, "How much work can a single
 *   Durable Object do?").
 * - Queues: 5,000 messages per second per queue, https://developers.cloudflare.com/queues/platform/limits/
 */
export const LIMITS = {
  d1Bytes: 10 * GB,
  objectBytes: 10 * GB,
  objectRequestsPerSecond: 1_000,
  queueMessagesPerSecond: 5_000,
};

/** The busiest venue's share of a day's check-ins (when --busiest-venue-checkins-per-day is not given). */
export const BUSIEST_VENUE_SHARE = 0.002;

/** The share of a limit a projection may reach before the run fails. */
export const HEADROOM = 0.5;

/** Default volumes: Sichuan (83.7 M people) on a peak day; each is a flag of the same name. */
export const DEFAULT_VOLUMES = {
  persons: 83_700_000,
  bindings: 100_000_000,
  checkinsPerDay: 100_000_000,
  checkinRetentionDays: 28, // CHECKIN_RETENTION_DAYS (workers/config.ts)
  resultsPerDay: 20_000_000,
  resultRetentionDays: 14, // results wait in D1 at most this long for a person who has not applied
  vaccinationRecords: 200_000_000,
  pushSubscriptions: 40_000_000,
  eventColourChanges: 21_000_000, // a Chengdu-sized event
  eventMinutes: 60, // the colour changes of an event arrive within this window
  staffLookupsPerDay: 2_000_000,
  auditDays: 30, // AUDIT_RETENTION_DAYS: the person shards' audit window (person_audit)
  registryAuditDays: 365, // REGISTRY_AUDIT_RETENTION_DAYS: the registry's audit window (audit_log)
  lookupAuditIn: "shards", // staff look-up audit rows: "shards" (by the looked-up person) or "registry"
  authorityActionsPerDay: 20_000,
  // Other audited actions on one person by a person or the system (proxy applications, manager
  // changes, paper codes and their revocations), kept on that person's shard (workers/audit/log.ts).
  personActionsPerDay: 500_000,
  paperCodes: 8_000_000, // about one person in ten without a phone
  appeals: 2_000_000,
  revocations: 1_000_000,
  importLines: 83_700_000, // a previous system's colours, one line per person
  venues: 500_000,
  eventVenues: 100_000, // venues covered by an event's risk designations (one exposure message each)
  peakFactor: 3, // peak hour over the day's mean
  // ~33 M messages for ~21 M changes: a notify plus a delivery per subscription. Since the consumer
  // pushes up to 8 subscriptions itself (workers/push/notify-consumer.ts) most changes take one
  // message, so this is a ceiling kept for retries and large fan-outs.
  notifyMessagesPerChange: 33 / 21,
  notifyDrainMinutes: 10, // a whole event's notifications drain within this at full queue rate
  resultsPerMessage: 50, // RESULTS_PER_MESSAGE (workers/labs/results.ts)
  personsPerRuleSetMessage: 100, // PERSONS_PER_MESSAGE (workers/authority/rule-set-fanout.ts)
  ruleSetFanoutMinutes: 30, // a published rule set reaches every person's object within this
  // 0: BUSIEST_VENUE_SHARE of the day's check-ins, i.e. 200,000 of 100 M: Chengdu East railway
  // station on a peak day, ~7 check-ins/s at the peak hour.
  busiestVenueCheckinsPerDay: 0,
  largestDistrictPersons: 3_000_000,
  largestPersonFacts: 2_000, // two years of daily tests, exposures, vaccinations
  largestPersonChanges: 1_000,
  largestPersonCheckinsPerDay: 100,
  largestPersonManagers: 10,
  personBurstRequestsPerSecond: 10, // a family refreshing codes while being scanned
  shards: 64,
  logPools: 16, // LOG_POOLS: fan-in pools in front of the log sequencer (durable/log-pool.ts)
  logPoolBatchesPerSecond: 10, // a pool forwards what it collected every 100 ms
  notifyQueues: 0, // 0: computed from the event (see notifyQueuesFor)
};

const KEBAB = (k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const CAMEL = (k) => k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

export const USAGE = `usage: npm run capacity -- [--markdown] [--tables] [--strict-rates] [--<volume> <number>]...
  --markdown: the README's table instead of JSON; --tables: bytes per row and rows of every table;
  --strict-rates: also fail when a peak rate passes half of its limit (otherwise a warning)
volumes (defaults: Sichuan, production shard and queue counts):
${Object.entries(DEFAULT_VOLUMES)
  .map(([k, v]) => `  --${KEBAB(k)} ${typeof v === "number" ? +v.toFixed(3) : v}`)
  .join("\n")}`;

/** Parses `--name value` / `--name=value`; throws on an unknown flag or a bad number. */
export function parseArgs(argv) {
  const volumes = { ...DEFAULT_VOLUMES };
  const switches = { markdown: false, tables: false, strictRates: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const which = { "--markdown": "markdown", "--tables": "tables", "--strict-rates": "strictRates" }[arg];
    if (which) {
      switches[which] = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m && CAMEL(m[1]);
    if (!m || !(key in DEFAULT_VOLUMES)) throw new Error(`unknown argument ${arg}`);
    const raw = m[2] ?? argv[++i];
    if (raw === undefined) throw new Error(`${arg} needs a value`);
    if (typeof DEFAULT_VOLUMES[key] === "string") {
      if (key === "lookupAuditIn" && raw !== "shards" && raw !== "registry")
        throw new Error(`${arg}: shards or registry`);
      volumes[key] = raw;
      continue;
    }
    const n = Number(raw.replace(/_/g, ""));
    if (!Number.isFinite(n) || n < 0) throw new Error(`${arg}: not a number: ${raw}`);
    volumes[key] = n;
  }
  if (!Number.isInteger(volumes.shards) || volumes.shards < 1)
    throw new Error("--shards: a whole number ≥ 1");
  if (volumes.notifyQueues === 0) volumes.notifyQueues = notifyQueuesFor(volumes);
  if (volumes.busiestVenueCheckinsPerDay === 0)
    volumes.busiestVenueCheckinsPerDay = Math.round(volumes.checkinsPerDay * BUSIEST_VENUE_SHARE);
  if (!Number.isInteger(volumes.notifyQueues)) throw new Error("--notify-queues: a whole number");
  return { volumes, ...switches };
}

/** Notify messages of one event. */
export const notifyMessages = (v) => v.eventColourChanges * v.notifyMessagesPerChange;

/** K: enough notify queues for an event's messages to drain within notifyDrainMinutes. */
export function notifyQueuesFor(v) {
  const perQueue = LIMITS.queueMessagesPerSecond * v.notifyDrainMinutes * 60;
  return Math.max(1, Math.ceil(notifyMessages(v) / perQueue));
}

const eventChangesPerSecond = (v) => v.eventColourChanges / (v.eventMinutes * 60);
const peak = (v, perDay) => (perDay / DAY) * v.peakFactor;

/**
 * Where each D1 table lives and how many rows it holds. `person`: person shards by personId;
 * `account`: the same shards by account hash; `registry`: the one registry database; `objects`: the
 * rows live in Durable Objects now (check-ins: venue and person objects), none in D1.
 */
export const D1_TABLES = {
  persons: { db: "person", rows: (v) => v.persons },
  color_snapshots: { db: "person", rows: (v) => v.persons },
  // The change log's window holds an event's changes and their return to green.
  color_changes: { db: "person", rows: (v) => v.eventColourChanges * 2 },
  paper_codes: { db: "person", rows: (v) => v.paperCodes },
  revocations: { db: "person", rows: (v) => v.revocations },
  appeals: { db: "person", rows: (v) => v.appeals },
  test_results: { db: "person", rows: (v) => v.resultsPerDay * v.resultRetentionDays },
  vaccination_records: { db: "person", rows: (v) => v.vaccinationRecords },
  import_lines: { db: "person", rows: (v) => v.importLines },
  risk_area_persons: { db: "person", rows: (v) => v.eventColourChanges },
  account_persons: { db: "account", rows: (v) => v.bindings },
  push_subscriptions: { db: "account", rows: (v) => v.pushSubscriptions },
  proxy_request_counters: { db: "account", rows: (v) => v.bindings * 0.01 }, // accounts asking today
  audit_log: {
    db: "registry",
    rows: (v) =>
      (v.authorityActionsPerDay + (v.lookupAuditIn === "registry" ? v.staffLookupsPerDay : 0)) *
      v.registryAuditDays,
  },
  // Audit rows about one person on that person's shard (workers/audit/log.ts), kept auditDays.
  person_audit: { db: "person", rows: (v) => v.personActionsPerDay * v.auditDays },
  lookup_audit: {
    // Not a table of its own: the staff look-up share of person_audit, by the looked-up person.
    db: "person",
    measuredAs: "person_audit",
    rows: (v) => (v.lookupAuditIn === "shards" ? v.staffLookupsPerDay * v.auditDays : 0),
  },
  // One row per device key per hour, pruned after an hour (workers/venues/retention.ts).
  lookup_counters: {
    db: "registry",
    rows: (v) => Math.min(v.venues * 2, peak(v, v.staffLookupsPerDay) * 7_200),
  },
  dead_letters: { db: "registry", rows: () => 100_000 },
  venues: { db: "registry", rows: (v) => v.venues },
  api_keys: { db: "registry", rows: (v) => v.venues * 2 + 10_000 },
  risk_areas: { db: "registry", rows: () => 10_000 },
  risk_area_venues: { db: "registry", rows: (v) => v.eventVenues * 3 },
  import_chunks: { db: "registry", rows: (v) => v.importLines / 1_000 },
  rule_sets: { db: "registry", rows: () => 1_000 },
  checkins: { db: "objects", rows: () => 0 },
  manual_entries: { db: "objects", rows: () => 0 },
};
/** Rows of a registry table the model does not list (labs, sites, issuers, keys: directories). */
export const SMALL_TABLE_ROWS = 10_000;

/** Placement of a D1 table the model does not list, from its columns. */
export function placeUnknown(columns) {
  if (columns.includes("person_id")) return { db: "person", rows: (v) => v.persons };
  if (columns.includes("account_id")) return { db: "account", rows: (v) => v.bindings };
  return { db: "registry", rows: () => SMALL_TABLE_ROWS };
}

/**
 * The role of each D1 migrations folder when there are several: "shard" for the one named for
 * shards or persons; else for the one whose tables the model mostly puts on shards. One folder: no
 * role (every table is placed by the model). `folders`: [{ name, tables: [names] }].
 */
export function folderRoles(folders) {
  if (folders.length < 2) return folders.map(() => undefined);
  const named = folders.map((f) => /shard|person/i.test(f.name));
  if (named.some(Boolean)) return named.map((n) => (n ? "shard" : "registry"));
  const sharded = (f) =>
    f.tables.filter((t) => ["person", "account"].includes(D1_TABLES[t]?.db)).length -
    f.tables.filter((t) => D1_TABLES[t]?.db === "registry").length;
  const best = folders.reduce((b, f, i) => (sharded(f) > sharded(folders[b]) ? i : b), 0);
  return folders.map((_, i) => (i === best ? "shard" : "registry"));
}

/**
 * D1 projections. `measured`: [{ table, bytesPerRow, columns, folder }] (folder: the role of the
 * migrations folder when there are several: "registry" or "shard"). Returns { databases, tables, notes }.
 */
export function projectDatabases(v, measured) {
  const notes = [];
  const byName = new Map(measured.map((m) => [m.table, m]));
  const tables = [];
  const models = Object.entries(D1_TABLES).filter(([, t]) => t.measuredAs);
  const inShards = new Set(measured.filter((m) => m.folder === "shard").map((m) => m.table));
  for (const m of measured) {
    if (m.folder === "registry" && inShards.has(m.table)) {
      notes.push(
        `D1 table ${m.table} is in both the registry and the shard migrations: counted on the shards`,
      );
      continue;
    }
    let place = D1_TABLES[m.table];
    if (!place) {
      place = placeUnknown(m.columns);
      if (
        m.table.match(
          /^(labs|vaccination_sites|testing_sites|trusted_issuers|signing_keys|directory_versions)$/,
        ) === null
      )
        notes.push(
          `D1 table ${m.table} has no volume in the model: projected as ${place.db} rows from its columns`,
        );
    }
    let db = place.db;
    // With a migrations folder per database, the folder says where a table lives.
    if (m.folder === "registry" && db !== "registry" && db !== "objects") db = "registry";
    if (m.folder === "shard" && db === "registry")
      db = m.columns.includes("account_id") ? "account" : "person";
    tables.push({ table: m.table, db, rows: place.rows(v), bytesPerRow: m.bytesPerRow });
  }
  for (const [name, t] of models) {
    const base = byName.get(t.measuredAs);
    if (base) tables.push({ table: name, db: t.db, rows: t.rows(v), bytesPerRow: base.bytesPerRow });
  }
  for (const t of tables) t.bytes = t.rows * t.bytesPerRow;
  const sum = (f) => tables.filter(f).reduce((s, t) => s + t.bytes, 0);
  const registryBytes = sum((t) => t.db === "registry");
  const shardBytes = sum((t) => t.db === "person" || t.db === "account") / v.shards;

  const lookups = peak(v, v.staffLookupsPerDay);
  const registryWrites =
    lookups * (v.lookupAuditIn === "registry" ? 2 : 1) + // a counter upsert (+ the audit row)
    peak(v, v.authorityActionsPerDay);
  const shardWrites =
    (eventChangesPerSecond(v) * 2 + // colour snapshot upsert and change-log row per change (durable/outbox.ts)
      peak(v, v.resultsPerDay) + // one row per result, written in multi-row statements
      (v.lookupAuditIn === "shards" ? lookups : 0) +
      peak(v, v.personActionsPerDay)) /
    v.shards;
  const databases = [
    {
      name: "registry",
      projectedBytes: Math.round(registryBytes),
      limitBytes: LIMITS.d1Bytes,
      peakWritesPerSecond: Math.round(registryWrites),
    },
    {
      name: `person-shard (each of ${v.shards})`,
      projectedBytes: Math.round(shardBytes),
      limitBytes: LIMITS.d1Bytes,
      peakWritesPerSecond: Math.round(shardWrites),
    },
  ];
  return { databases, tables, notes };
}

/** What kind of object a class is, from its name. */
export function objectRole(className) {
  // A walk over an id range (the counter backfill): one alarm per page, a cursor in kv.
  if (/backfill/i.test(className)) return "other";
  if (/pool/i.test(className)) return "pool";
  if (/person/i.test(className)) return "person";
  if (/venue/i.test(className)) return "venue";
  if (/counter|district|stat/i.test(className)) return "counter";
  if (/log|sequencer/i.test(className)) return "sequencer";
  return "other";
}

const SMALL = 10; // kv-like tables: a handful of keys
const PUSH_SUBSCRIPTIONS_PER_ACCOUNT = 10; // MAX_SUBSCRIPTIONS_PER_ACCOUNT (workers/push/repo.ts)
const has = (t, ...cols) => cols.some((c) => t.columns.includes(c));
const isKv = (t) => /^(kv|meta|state|config|person_record|_.*)$/.test(t.table);

/** Rows of one table in the largest object of its role; `unmodelled` when only a fallback applies. */
export function objectTableRows(role, t, v) {
  const checkinsKept = (perDay) => perDay * v.checkinRetentionDays;
  if (isKv(t)) return { rows: SMALL };
  if (role === "person") {
    if (t.table === "facts") return { rows: v.largestPersonFacts };
    if (t.table === "history") return { rows: v.largestPersonChanges };
    if (t.table === "managers") return { rows: v.largestPersonManagers };
    // The managers' push subscriptions (durable/push-targets.ts): at most 10 an account
    // (MAX_SUBSCRIPTIONS_PER_ACCOUNT), as many tombstones again within their 14 days; `push_sent`:
    // every subscription for each change or notice of the last 7 days (50 in a bad week).
    if (t.table === "push_targets")
      return { rows: v.largestPersonManagers * PUSH_SUBSCRIPTIONS_PER_ACCOUNT * 2 };
    if (t.table === "push_accounts") return { rows: v.largestPersonManagers };
    if (t.table === "push_sent")
      return { rows: v.largestPersonManagers * PUSH_SUBSCRIPTIONS_PER_ACCOUNT * 50 };
    if (t.table === "notices" || t.table === "outbox") return { rows: 100 };
    if (/check|visit/.test(t.table) || has(t, "check_in_id"))
      return { rows: checkinsKept(v.largestPersonCheckinsPerDay) };
    return { rows: v.largestPersonFacts, unmodelled: true };
  }
  if (role === "venue") {
    // The designations covering one venue: a handful at a time, kept while in force.
    if (t.table === "designations") return { rows: 100 };
    if (/manual/.test(t.table)) return { rows: checkinsKept(v.busiestVenueCheckinsPerDay) * 0.01 };
    if (/stat|daily|hour|count|series/.test(t.table)) return { rows: v.checkinRetentionDays * 24 };
    if (/check|scan|visit|entr/.test(t.table) || has(t, "check_in_id", "person_id"))
      return { rows: checkinsKept(v.busiestVenueCheckinsPerDay) };
    return { rows: checkinsKept(v.busiestVenueCheckinsPerDay), unmodelled: true };
  }
  if (role === "counter") {
    if (has(t, "person_id", "person") || /seen|applied|person|member|version/.test(t.table))
      return { rows: v.largestDistrictPersons };
    if (has(t, "day", "date") || /day|daily|series/.test(t.table)) return { rows: 30 * 3 * 10 };
    return { rows: 100 };
  }
  if (role === "pool") {
    // pending: a pool's share of a minute of appends, if the sequencer stalls that long.
    if (t.table === "pending") return { rows: (sequencerAppendsPerSecond(v) / v.logPools) * 60 };
    return { rows: 1_000, unmodelled: true };
  }
  if (role === "sequencer") {
    // pending: what arrives while a batch is written (a minute of backlog if R2 is slow);
    // seen: every key of the last KEY_WINDOW_MS (24 h): a whole event's entries.
    if (t.table === "pending") return { rows: sequencerAppendsPerSecond(v) * 60 };
    if (t.table === "seen") return { rows: v.eventColourChanges + v.authorityActionsPerDay };
    return { rows: 1_000, unmodelled: true };
  }
  return { rows: 1_000, unmodelled: !/range|tally|sample/.test(t.table) };
}

/** Log entries per second: each colour change and each authority action (durable/log-items.ts). */
const sequencerAppendsPerSecond = (v) => eventChangesPerSecond(v) + peak(v, v.authorityActionsPerDay);

/** Peak requests per second reaching the busiest object of a role. */
export function objectPeakRequests(role, v) {
  if (role === "person") return v.personBurstRequestsPerSecond;
  if (role === "venue") return peak(v, v.busiestVenueCheckinsPerDay);
  // One update per change of a person of the district; an event may fall on one district.
  if (role === "counter")
    return Math.min(v.eventColourChanges, v.largestDistrictPersons) / (v.eventMinutes * 60);
  // Entries reach a pool one call each (from person outboxes, spread by submitter); each pool
  // forwards one batch per tick, so the sequencer sees at most pools × ticks calls a second.
  if (role === "pool") return sequencerAppendsPerSecond(v) / v.logPools;
  if (role === "sequencer")
    return Math.min(sequencerAppendsPerSecond(v), v.logPools * v.logPoolBatchesPerSecond);
  return 10;
}

/**
 * Object projections. `classes`: [{ className, tables: [{ table, columns, bytesPerRow }] }].
 * Returns { objects, tables, notes }.
 */
export function projectObjects(v, classes) {
  const notes = [];
  const tables = [];
  const objects = classes.map(({ className, tables: ts }) => {
    const role = objectRole(className);
    let bytes = 0;
    for (const t of ts) {
      const { rows, unmodelled } = objectTableRows(role, t, v);
      if (unmodelled)
        notes.push(`${className}.${t.table} has no volume in the model: projected at ${rows} rows`);
      tables.push({
        class: className,
        table: t.table,
        rows,
        bytesPerRow: t.bytesPerRow,
        bytes: rows * t.bytesPerRow,
      });
      bytes += rows * t.bytesPerRow;
    }
    return {
      class: className,
      largestProjectedBytes: Math.round(bytes),
      limitBytes: LIMITS.objectBytes,
      peakRequestsPerSecond: Math.round(objectPeakRequests(role, v)),
    };
  });
  return { objects, tables, notes };
}

/** Queue projections: peak messages per second of each queue. */
export function projectQueues(v) {
  const eventSeconds = v.eventMinutes * 60;
  return [
    {
      name: "healthpass-lab-results",
      peakMessagesPerSecond: Math.round(peak(v, v.resultsPerDay) / v.resultsPerMessage),
      limitPerSecond: LIMITS.queueMessagesPerSecond,
    },
    {
      // Its largest stream: a rule set's fan-out, every person once (vaccinations and imports are smaller).
      name: "healthpass-intake",
      peakMessagesPerSecond: Math.round(
        v.persons / v.personsPerRuleSetMessage / (v.ruleSetFanoutMinutes * 60),
      ),
      limitPerSecond: LIMITS.queueMessagesPerSecond,
    },
    {
      name: "healthpass-exposure",
      peakMessagesPerSecond: Math.round(v.eventVenues / eventSeconds),
      limitPerSecond: LIMITS.queueMessagesPerSecond,
    },
    {
      name: `healthpass-notify (each of ${v.notifyQueues})`,
      peakMessagesPerSecond: Math.round(notifyMessages(v) / eventSeconds / v.notifyQueues),
      limitPerSecond: LIMITS.queueMessagesPerSecond,
    },
  ];
}

/** Minutes for one event's notifications to drain with every notify queue at its limit. */
export const notifyDrainMinutes = (v) =>
  notifyMessages(v) / (v.notifyQueues * LIMITS.queueMessagesPerSecond) / 60;

/** Failures (a database or object past HEADROOM of its storage limit) and warnings (rates). */
export function check(report) {
  const failures = [];
  const warnings = [];
  for (const d of report.databases) {
    if (d.projectedBytes > d.limitBytes * HEADROOM)
      failures.push(`database ${d.name}: ${gb(d.projectedBytes)} > half of ${gb(d.limitBytes)}`);
    // D1 runs one query at a time, about 1,000 short queries per second.
    if (d.peakWritesPerSecond > 1_000 * HEADROOM)
      warnings.push(
        `database ${d.name}: ${d.peakWritesPerSecond} writes/s at peak, D1 runs ~1,000 queries/s`,
      );
  }
  for (const o of report.objects) {
    if (o.largestProjectedBytes > o.limitBytes * HEADROOM)
      failures.push(`object ${o.class}: ${gb(o.largestProjectedBytes)} > half of ${gb(o.limitBytes)}`);
    if (o.peakRequestsPerSecond > LIMITS.objectRequestsPerSecond * HEADROOM)
      warnings.push(
        `object ${o.class}: ${o.peakRequestsPerSecond} requests/s at peak, past half of ~${LIMITS.objectRequestsPerSecond}/s`,
      );
  }
  for (const q of report.queues)
    if (q.peakMessagesPerSecond > q.limitPerSecond * HEADROOM)
      warnings.push(
        `queue ${q.name}: ${q.peakMessagesPerSecond} messages/s, past half of ${q.limitPerSecond}/s`,
      );
  return { failures, warnings };
}

export const gb = (bytes) => `${(bytes / GB).toFixed(bytes < GB / 10 ? 4 : 2)} GB`;
const pct = (a, b) => `${((100 * a) / b).toFixed(1)} %`;

/** A markdown table padded as Biome formats it (`align`: "l" or "r" per column). */
export function table(header, align, rows) {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (c, i) => (align[i] === "r" ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = widths.map((w, i) => (align[i] === "r" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}

/** The report as the README's markdown table. */
export function markdown(report, { failures, warnings }) {
  const v = report.volumes;
  const rows = [
    ...report.databases.map((d) => [
      `D1 ${d.name}`,
      gb(d.projectedBytes),
      gb(d.limitBytes),
      pct(d.projectedBytes, d.limitBytes),
      `${d.peakWritesPerSecond} writes/s`,
    ]),
    ...report.objects.map((o) => [
      `object ${o.class} (largest)`,
      gb(o.largestProjectedBytes),
      gb(o.limitBytes),
      pct(o.largestProjectedBytes, o.limitBytes),
      `${o.peakRequestsPerSecond} req/s`,
    ]),
    ...report.queues.map((q) => [
      `queue ${q.name}`,
      "",
      `${q.limitPerSecond} msg/s`,
      pct(q.peakMessagesPerSecond, q.limitPerSecond),
      `${q.peakMessagesPerSecond} msg/s`,
    ]),
  ];
  const lines = [
    table(["what", "projected", "limit", "share", "peak rate"], ["l", "r", "r", "r", "r"], rows),
    "",
    `${v.persons.toLocaleString("en")} persons, ${v.shards} shards, ${v.notifyQueues} notify queues ` +
      `(an event's ${Math.round(notifyMessages(v) / 1e6)} M notifications drain in ` +
      `${notifyDrainMinutes(v).toFixed(1)} min at full rate). ` +
      (failures.length
        ? `FAILS: ${failures.join("; ")}.`
        : "Every database and object stays under half its limit."),
    ...warnings.map((w) => `Warning: ${w}.`),
  ];
  return lines.join("\n");
}

/** Every table's measured bytes per row and projected rows (for --tables). */
export function tablesMarkdown(d1, objects) {
  const row = (where, t) => [
    where,
    t.table,
    t.bytesPerRow,
    Math.round(t.rows).toLocaleString("en"),
    gb(t.bytes),
  ];
  return table(
    ["where", "table", "bytes/row", "rows", "bytes"],
    ["l", "l", "r", "r", "r"],
    [...d1.map((t) => row(`D1 ${t.db}`, t)), ...objects.map((t) => row(t.class, t))],
  );
}
