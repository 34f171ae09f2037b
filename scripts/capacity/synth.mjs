// Synthetic column values of the sizes the code writes (see the comments for where each comes from).
// Values are pseudo-random so indexes on them fill pages as HMAC and random keys do in production.

/** A small deterministic PRNG (mulberry32), so runs are reproducible. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Random-looking bytes as base64url (what HMACs, hashes and random ids look like), from a pool filled
// by a seeded PRNG: the same migrations always measure the same. `_rnd` keeps call sites uniform.
let pool = Buffer.alloc(0);
let at = 0;
let fill = prng(1);
/** Restarts the synthetic data, so a measurement does not depend on what ran before it. */
export function resetSynth(seed = 1) {
  fill = prng(seed);
  pool = Buffer.alloc(0);
  at = 0;
}
const bytesOf = (n) => {
  if (at + n > pool.length) {
    pool = Buffer.alloc(1 << 20);
    for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(fill() * 4294967296), i);
    at = 0;
  }
  at += n;
  return pool.subarray(at - n, at);
};
const b64 = (_rnd, bytes) => bytesOf(bytes).toString("base64url");
const uuid = () => {
  const h = bytesOf(16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const iso = (rnd) => new Date(Date.UTC(2026, 10, 1) + Math.floor(rnd() * 28 * 86_400_000)).toISOString();
const json = (v) => JSON.stringify(v);

// What the code writes, as samples.
// A reason as durable/rules/engine.ts builds it (localized text, fact ids, since/until, lift text).
const reason = (rnd) => ({
  rule: "exposure.high-risk-area",
  ruleVersion: "2",
  ruleSetVersion: "2026-11-01",
  color: "yellow",
  text: {
    zh: "到访高风险区域场所：成都东站",
    en: "Visited a venue in a high-risk area: Chengdu East Station",
  },
  facts: [`ra_${b64(rnd, 12)}:ci_${b64(rnd, 12)}`],
  since: iso(rnd),
  until: iso(rnd),
  lift: { zh: "离开风险区域满 7 天后自动转绿", en: "Turns green 7 days after the visit" },
});
// A HistoryEntry (durable/rules/transition.ts) with one reason and its public-log reference.
const historyEntry = (rnd) =>
  json({
    version: 3,
    from: "green",
    to: "yellow",
    at: iso(rnd),
    cause: { kind: "fact", factKind: "exposure" },
    rules: [{ rule: "exposure.high-risk-area", ruleVersion: "2" }],
    ruleSetVersion: "2026-11-01",
    reasons: [reason(rnd)],
    log: { index: 12_345_678, nonce: b64(rnd, 16) },
  });
// An ExposureFact (durable/rules/facts.ts), the most common fact with a free-text reason.
const factBody = (rnd) =>
  json({
    kind: "exposure",
    id: `ra_${b64(rnd, 12)}:ci_${b64(rnd, 12)}`,
    riskAreaId: `ra_${b64(rnd, 12)}`,
    venueId: `ven_${b64(rnd, 12)}`,
    venueName: "成都东站 西进站口",
    level: "high",
    visitedAt: iso(rnd),
    reason: "2026年11月28日 确诊病例到访",
    checkInId: `ci_${b64(rnd, 12)}`,
    presence: "rotating_code",
  });
// The colour state kept in kv (ColorState: colour, version, since, reasons, reviewAt, rule set).
const kvValue = (rnd) =>
  json({
    color: "yellow",
    version: 3,
    since: iso(rnd),
    reasons: [reason(rnd)],
    reviewAt: iso(rnd),
    ruleSetVersion: "2026-11-01",
  });
// An outbox item: a snapshot with its change (durable/outbox.ts).
const outboxItem = (rnd) =>
  json({
    kind: "snapshot",
    personId: b64(rnd, 16),
    color: "yellow",
    version: 3,
    since: iso(rnd),
    districtCode: "510104",
    change: {
      version: 3,
      from: "green",
      to: "yellow",
      at: iso(rnd),
      rules: [{ rule: "exposure.high-risk-area", ruleVersion: "2" }],
      ruleSetVersion: "2026-11-01",
    },
  });
const notice = (rnd) =>
  json({
    kind: "manager_request",
    at: iso(rnd),
    relationship: "child",
    requestId: `mgr_${b64(rnd, 12)}`,
    text: { zh: "有人申请代为管理您的健康码", en: "Someone asked to manage your health code" },
  });
// A public-log entry (durable/log-items.ts): canonical JSON with a commitment, no personal data.
const logEntry = (rnd) =>
  json({
    kind: "color",
    version: 3,
    from: "green",
    to: "yellow",
    at: iso(rnd),
    rules: [{ rule: "exposure.high-risk-area", ruleVersion: "2" }],
    ruleSetVersion: "2026-11-01",
    prefecture: "5101",
    commitment: b64(rnd, 32),
  });
const auditDetail = (rnd) =>
  json({ venueId: `ven_${b64(rnd, 12)}`, deviceKeyId: `key_${b64(rnd, 12)}`, color: "green", found: true });
// AES-GCM over UTF-8 (12-byte IV + 16-byte tag), base64url: workers/persons (name, phone).
const enc = (rnd, plainBytes) => b64(rnd, 12 + plainBytes + 16);

/** A value for column `name` of SQLite type `type` in table `table`, row `i`. */
export function synthValue(table, name, type, i, rnd) {
  const n = name.toLowerCase();
  const t = (type || "").toUpperCase();
  const intLike = t.includes("INT");
  if (t.includes("REAL")) return 30 + rnd() * 5;
  if (intLike) {
    if (n === "id" || n === "seq" || n === "idx" || n === "version" || n === "range") return i + 1;
    if (n === "at" || n.endsWith("_ms") || n === "removed_at" || n === "seeded_at")
      return 1_790_000_000_000 + i; // epoch ms
    if (n === "code_iat" || n === "before") return 1_790_000_000 + i;
    if (n === "distance_m") return Math.floor(rnd() * 200);
    return Math.floor(rnd() * 10); // flags, counts, doses, attempts
  }
  // Text columns, by what the code stores in them.
  if (n === "person_id") return b64(rnd, 16); // HMAC-SHA-256 cut to 128 bits (workers/identity/person-id.ts)
  if (n === "account_id" || n === "owner_account_id" || n === "actor" || n === "answered_by")
    return `acct_${b64(rnd, 16)}`; // hashToId("acct", …) (workers/auth/hashing.ts)
  if (n === "created_by" || n === "verified_by" || n === "lifted_by") return `acct_${b64(rnd, 16)}`;
  if (n === "target") return b64(rnd, 16);
  if (n === "key_hash") return b64(rnd, 32); // SHA-256 of a random key
  if (n === "key" && table === "pending") return b64(rnd, 32); // hashKey: SHA-256 (log sequencer)
  if (n === "key" && table === "seen") return b64(rnd, 32);
  const prefixed = {
    venue_id: "ven",
    check_in_id: "ci",
    entry_id: "me",
    appeal_id: "ap",
    code_id: "pc",
    risk_area_id: "ra",
    lab_id: "lab",
    key_id: "key",
    device_key_id: "key",
    site_id: "vs",
    preview_id: "rp",
  };
  if (prefixed[n]) return `${prefixed[n]}_${b64(rnd, 12)}`; // randomId(prefix): 12 random bytes
  if (n === "id" && table === "managers") return `mgr_${b64(rnd, 12)}`;
  if (n === "id" && table === "facts") return `ra_${b64(rnd, 12)}:ci_${b64(rnd, 12)}`; // riskArea:checkIn
  if (n === "id" || n === "request_id" || n === "import_id" || n === "subscription_id") return uuid();
  if (n === "change_key") return b64(rnd, 16); // a digest of the push payload (workers/push/notify-consumer.ts)
  if (n === "sample_id" || n === "record_id") return `S${Math.floor(rnd() * 1e15)}`.padEnd(18, "0");
  if (n === "rid") return b64(rnd, 16);
  if (n === "endpoint") return `https://fcm.googleapis.com/fcm/send/${b64(rnd, 114)}`; // ~190 chars, as FCM gives
  if (n === "p256dh") return b64(rnd, 65); // uncompressed P-256 point
  if (n === "auth") return b64(rnd, 16);
  if (n === "name_enc") return enc(rnd, 9); // a three-character Chinese name
  if (n === "phone_enc") return enc(rnd, 11);
  if (n === "text_enc" || n === "answer_enc") return enc(rnd, 300);
  if (n === "evidence_ref_enc") return enc(rnd, 60);
  if (n === "masked_name") return "张**";
  if (n === "district_code") return String(510000 + Math.floor(rnd() * 2000));
  if (n.endsWith("color") || n === "color") return "yellow";
  if (n === "nationality") return "CHN";
  if (n === "rules") return json([{ rule: "exposure.high-risk-area", ruleVersion: "2" }]);
  if (n === "rule_set_version") return "2026-11-01";
  if (n === "reason" || n === "lift_reason")
    return "2026年11月28日 确诊病例到访该场所，按联防联控机制要求划定"; // authority free text, ~90 bytes
  if (n === "detail") return auditDetail(rnd);
  if (n === "venue_name" || (n === "name" && table === "venues")) return "成都东站 西进站口";
  if (n === "address") return "四川省成都市成华区邛崃山路333号";
  if (n === "date" || n === "day") return iso(rnd).slice(0, 10);
  if (n === "hour") return iso(rnd).slice(0, 13);
  if (n === "since" || n === "until" || n === "from" || n === "to" || n.endsWith("_at") || n === "at")
    return iso(rnd);
  if (n === "body" && table === "facts") return factBody(rnd);
  if (n === "body") return json({ results: [factBody(rnd)] });
  if (n === "entry" && table === "history") return historyEntry(rnd);
  if (n === "entry") return logEntry(rnd);
  if (n === "item") return outboxItem(rnd);
  if (n === "notice") return notice(rnd);
  if (n === "v") return kvValue(rnd);
  if (n === "k") return `k${i}`;
  if (n === "tally" || n === "samples") return json({ green: 1000, yellow: 10, red: 1 });
  if (n === "product") return "Sinovac-CoronaVac";
  return b64(rnd, 6); // a short word: kind, state, status, relationship, scope, test, result, level
}
