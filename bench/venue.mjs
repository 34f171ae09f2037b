// Issue 12's figures, driven by bench/run.mjs: `hot_venue` (HOT concurrent check-ins of different
// persons into one venue object, against as many calls on the bare counter object in the same round,
// every check-in counted by the venue) and `designation` (a district designation over 200 venues and
// 20,000 visits, timed until every visitor's object holds its exposure).
import { call } from "./lib/fixtures.mjs";

export const HOT_VENUE_CHECKINS = 2000;
/** Longer than workerd keeps an idle object in memory (10 s): after it, the visitors' objects are cold. */
const EVICTED_AFTER_MS = 12_000;

export async function hotVenueRound(origin, r, acc, log, settle) {
  const n = HOT_VENUE_CHECKINS;
  // The station's visitors hold codes already: their objects are initialised before the clock starts.
  const seeded = await call(origin, "POST", `/__bench/seed-persons?n=${n}&name=hot-${r}`);
  // As many bare counter objects (the runtime's floor for reaching distinct objects, none of the
  // service's code), created now so that they are as idle as the visitors' objects when read below.
  await call(origin, "POST", `/__bench/counters?n=${n}&name=bare-${r}`);
  log(`round ${r} hot venue: ${n} persons seeded in ${seeded.ms} ms, ${n} bare objects created (untimed)`);
  // Their initial outboxes flush in the background: the counter and the venue start after that.
  await settle(`round ${r} hot venue`);
  const counter = await call(origin, "POST", `/__bench/counter?n=${n}&name=venue-counter-${r}`);
  const venue = await call(origin, "POST", `/__bench/hot-venue?n=${n}&name=round${r}&persons=hot-${r}`);
  // Zero lost: every check-in answered as new, and the venue's own count holds every one.
  if (venue.created !== n || venue.stored !== n)
    throw new Error(`hot venue round ${r}: ${venue.created} created, ${venue.stored} stored of ${n}`);
  // The venue object's share alone (no person call): what bounds a station where persons' objects
  // run elsewhere, as they do in production; here one thread runs both.
  await settle(`round ${r} venue object`);
  const object = await call(origin, "POST", `/__bench/venue-object?n=${n}&name=round${r}`);
  if (object.created !== n || object.stored !== n)
    throw new Error(`venue object round ${r}: ${object.created} created, ${object.stored} stored of ${n}`);
  // The visitors' objects alone, no check-in: one read-only call each, once they have been idle long
  // enough to be evicted (as a station's visitors' objects are when they arrive), then again at once.
  await settle(`round ${r} visitors' objects`);
  await new Promise((res) => setTimeout(res, EVICTED_AFTER_MS));
  const cold = await call(origin, "POST", `/__bench/persons-read?persons=hot-${r}`);
  const warm = await call(origin, "POST", `/__bench/persons-read?persons=hot-${r}`);
  if (cold.calls !== n || warm.calls !== n) throw new Error(`persons read round ${r}: ${cold.calls} of ${n}`);
  // The same for bare objects: one row written in each of n distinct objects, cold (idle since they
  // were created), then warm. Any check-in path that wakes each visitor's object is bounded by it.
  const bareCold = await call(origin, "POST", `/__bench/counters?n=${n}&name=bare-${r}`);
  const bareWarm = await call(origin, "POST", `/__bench/counters?n=${n}&name=bare-${r}`);
  if (bareCold.calls !== n || bareWarm.calls !== n)
    throw new Error(`bare objects round ${r}: ${bareCold.calls} of ${n}`);
  acc.push({
    counterMs: counter.ms,
    objectMs: object.ms,
    coldReadMs: cold.ms,
    warmReadMs: warm.ms,
    bareColdMs: bareCold.ms,
    bareWarmMs: bareWarm.ms,
    venueMs: venue.ms,
    p50: venue.p50,
    p99: venue.p99,
    lost: n - venue.stored,
  });
  const perS = (timed) => Math.round((n * 1000) / timed.ms);
  log(
    `round ${r} hot venue: ${perS(venue)} check-ins/s, the venue object alone ${perS(object)}/s, counter ${perS(counter)}/s, lost ${n - venue.stored}; a read of each visitor's object ${perS(cold)}/s cold, ${perS(warm)}/s warm; a write to each of ${n} bare objects ${perS(bareCold)}/s cold, ${perS(bareWarm)}/s warm`,
  );
}

export function hotVenueSummary(acc, median, round) {
  if (acc.length === 0) return null;
  /** The median over rounds of the round's counter time over the round's time for `key`. */
  const vsCounter = (key) => round(median(acc.map((a) => a.counterMs / Math.max(1, a[key]))), 3);
  const perS = (key) => round(median(acc.map((a) => (HOT_VENUE_CHECKINS * 1000) / a[key])), 0);
  return {
    checkins: HOT_VENUE_CHECKINS,
    checkins_per_s: perS("venueMs"),
    vs_counter: vsCounter("venueMs"),
    venue_object_per_s: perS("objectMs"),
    venue_object_vs_counter: vsCounter("objectMs"),
    // What reaching each visitor's object costs alone, with no write.
    visitor_objects_cold_read_vs_counter: vsCounter("coldReadMs"),
    visitor_objects_warm_read_vs_counter: vsCounter("warmReadMs"),
    // The runtime's own floor: one row written in each of as many distinct bare objects, no service code.
    bare_objects_cold_write_vs_counter: vsCounter("bareColdMs"),
    bare_objects_warm_write_vs_counter: vsCounter("bareWarmMs"),
    lost: acc.reduce((s, a) => s + a.lost, 0),
    latency_ms: { p50: median(acc.map((a) => a.p50)), p99: median(acc.map((a) => a.p99)) },
  };
}

export async function designationRun(
  origin,
  log,
  { venues = 200, visits = 100, applied = false, persons = undefined } = {},
) {
  log(
    `designation: seeding ${venues} venues × ${visits} visits${persons ? ` of ${persons} persons` : ""}${applied ? ", visitors applied" : ""}`,
  );
  const d = await call(
    origin,
    "POST",
    `/__bench/designation?venues=${venues}&visits=${visits}&applied=${applied ? 1 : 0}${persons ? `&persons=${persons}` : ""}`,
  );
  log(`designation: seeded in ${d.seedMs} ms (persons ${d.personsSeedMs} ms), untimed`);
  for (;;) {
    const s = await call(origin, "GET", `/__bench/designation?riskAreaId=${d.riskAreaId}`);
    if (s.pending === 0) {
      log(`designation: ${d.visits} visits, every visitor's object held its exposure after ${s.doneMs} ms`);
      return {
        venues,
        visits: d.visits,
        persons: d.persons,
        visitors_applied: applied,
        ms_until_every_exposure_held: s.doneMs,
        visits_per_s: Math.round((d.visits * 1000) / Math.max(1, s.doneMs)),
      };
    }
    if (s.elapsedMs > 1_800_000)
      throw new Error(`designation: ${s.pending} persons still pending after 30 min`);
    await new Promise((res) => setTimeout(res, 2000));
  }
}
