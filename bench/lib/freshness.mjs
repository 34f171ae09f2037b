// Intake freshness (issue 16), measured as a person feels it: lab results posted at a steady rate
// (`rate` results/s for `seconds` s, in POSTs of `batch`), a tenth of them positive results of persons
// who have applied and subscribed to push, the rest for persons who have not applied (stored in D1
// until they do). For each positive: the time from its POST until the person's object is red (the
// object's history entry, stamped when the fact arrived) and until the push message reaches the
// local push service. Drain: from the last POST until the last result is applied (every row in D1,
// every object red).
import { call, pushSubscription, residentId } from "./fixtures.mjs";
import { round } from "./load.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** How often the rows in D1 are counted during the drain. */
const POLL_MS = 200;

/** Nearest-rank percentile. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Identities apart from the other figures' (another district): applied persons and the rest. */
const appliedId = (k) =>
  residentId(k, `1990${String(1 + Math.floor(k / 1000)).padStart(2, "0")}01`, "510107");
const otherId = (k) => residentId(k, `19${60 + Math.floor(k / 1000)}0101`, "510108");

/**
 * `n` persons apply (each the `self` of their own account) and subscribe to push at their own path of
 * the local receiver, 16 at a time.
 */
export async function prepareFreshness(origin, receiver, n) {
  const base = receiver.endpoint.replace(/\/bench$/, "");
  const persons = new Array(n);
  for (let i = 0; i < n; i += 16)
    await Promise.all(
      Array.from({ length: Math.min(16, n - i) }, async (_, j) => {
        const k = i + j;
        const idNumber = appliedId(k);
        const { idToken } = await call(origin, "POST", "/dev/id-token", {
          body: { sub: `bench-fresh-${k}`, idType: "resident_id", idNumber },
        });
        const { personId } = await call(origin, "POST", "/v1/persons", {
          token: idToken,
          body: { name: "王五", idType: "resident_id", idNumber, phone: "13812345678", relationship: "self" },
        });
        const subscription = await pushSubscription(`${base}/fresh-${k}`);
        await call(origin, "POST", "/v1/push/subscriptions", { token: idToken, body: { subscription } });
        persons[k] = { idNumber, personId, path: `/push/fresh-${k}` };
      }),
    );
  // Let the applications' outbox flushes and queue work settle before the results arrive.
  await sleep(3000);
  return { persons };
}

function results(persons, total) {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const reported = new Date().toISOString();
  const tenth = Math.floor(total / persons.length);
  return Array.from({ length: total }, (_, k) => {
    const positive = k % tenth === 0 && k / tenth < persons.length;
    return {
      sampleId: `F-${String(k).padStart(6, "0")}`,
      idType: "resident_id",
      idNumber: positive ? persons[k / tenth].idNumber : otherId(k),
      name: "王五",
      test: "nucleic_acid",
      result: positive ? "positive" : "negative",
      sampledAt: at,
      reportedAt: reported,
      person: positive ? k / tenth : null,
    };
  });
}

export async function runFreshness(origin, receiver, { persons }, { labKey, labId }, opts) {
  const { rate, seconds, batch } = opts;
  const total = rate * seconds;
  const items = results(persons, total);
  const interval = (batch * 1000) / rate;
  const postedAt = new Array(persons.length);
  const before = (await call(origin, "GET", `/__bench/results-count?lab=${labId}`)).n;
  const answered = [];
  const start = Date.now() + 50;
  let firstPost = 0;
  let lastPost = 0;
  for (let t = 0; t * batch < total; t++) {
    const wait = start + t * interval - Date.now();
    if (wait > 0) await sleep(wait);
    const slice = items.slice(t * batch, (t + 1) * batch);
    const sentAt = Date.now();
    if (t === 0) firstPost = sentAt;
    lastPost = sentAt;
    for (const x of slice) if (x.person !== null) postedAt[x.person] = sentAt;
    const body = { results: slice.map(({ person, ...r }) => r) };
    answered.push(call(origin, "POST", "/v1/lab/results", { token: labKey, body }).then(() => Date.now()));
  }
  const lastAnswered = Math.max(...(await Promise.all(answered)));

  // Every row in D1 (polled every POLL_MS: each poll is a count on every shard, which competes with
  // the intake it measures, so `all_rows_stored_ms` is late by up to POLL_MS), then every object red
  // (asked once the rows are in: asking costs the runtime, and the object stamps the time itself),
  // then every push delivered (the receiver stamps arrivals itself).
  const deadline = lastPost + 120_000;
  let storedAt = 0;
  while (!storedAt) {
    const n = (await call(origin, "GET", `/__bench/results-count?lab=${labId}`)).n - before;
    if (n >= total) storedAt = Date.now();
    else if (Date.now() > deadline) throw new Error(`freshness: ${n}/${total} rows stored after 120 s`);
    else await sleep(POLL_MS);
  }
  const redAt = new Array(persons.length).fill(null);
  for (;;) {
    const missing = redAt.flatMap((v, i) => (v === null ? [i] : []));
    if (missing.length === 0) break;
    if (Date.now() > deadline) throw new Error(`freshness: ${missing.length} persons not red after 120 s`);
    for (let i = 0; i < missing.length; i += 200) {
      const chunk = missing.slice(i, i + 200);
      const { at } = await call(origin, "POST", "/__bench/red-at", {
        body: chunk.map((k) => persons[k].personId),
      });
      at.forEach((v, j) => {
        redAt[chunk[j]] = v;
      });
    }
    if (redAt.includes(null)) await sleep(250);
  }
  const pushDeadline = Date.now() + 60_000;
  while (persons.some((p) => !receiver.arrivals.has(p.path)) && Date.now() < pushDeadline) await sleep(100);

  const red = persons.map((_, k) => redAt[k] - postedAt[k]);
  const pushed = persons.flatMap((p, k) =>
    receiver.arrivals.has(p.path) ? [receiver.arrivals.get(p.path) - postedAt[k]] : [],
  );
  const lastApplied = Math.max(storedAt, ...redAt);
  return {
    red_ms: { p50: percentile(red, 50), p99: percentile(red, 99), max: Math.max(...red) },
    push_ms: { p50: percentile(pushed, 50), p99: percentile(pushed, 99), max: Math.max(...pushed) },
    drain_ms: lastApplied - lastPost,
    // Where the drain goes: the last POST answered, every row in D1 (polled), the last object red.
    last_post_answered_ms: lastAnswered - lastPost,
    all_rows_stored_ms: storedAt - lastPost,
    last_red_ms: Math.max(...redAt) - lastPost,
    results: total,
    persons_turning_red: persons.length,
    pushes_delivered: pushed.length,
    offered_results_per_s: rate,
    // What the load generator actually sustained: results over the span of its POSTs.
    posted_results_per_s: round((total * 1000) / (lastPost - firstPost + interval), 0),
    accepted_results_per_s: round((total * 1000) / (lastAnswered - firstPost), 0),
    batch,
    seconds,
  };
}
