// Bench-only routes for issue 12 (never deployed), mounted by bench/worker.ts: a hot venue (many
// concurrent check-ins into one venue object) and a designation over many venues timed until every
// visitor's object holds its exposure.

import type { CheckInRow } from "../schema/checkins";
import { mapBounded } from "../workers/lib/bounded";
import { startExposure } from "../workers/risk-areas/fanout";
import { insertRiskArea } from "../workers/risk-areas/repo";
import { saveCheckIn } from "../workers/venues/checkin-record";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const randomId = () =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** A new printed-code visit in green, as the route hands it to the objects once the person's allows it. */
const newVisit = (venueId: string, personId: string, venueName: string): CheckInRow => ({
  checkInId: `ci_${randomId()}`,
  venueId,
  personId,
  kind: "printed",
  checkedInAt: new Date().toISOString(),
  color: "green",
  distanceM: null,
  deviceKeyId: null,
  entryId: null,
  presence: "location",
  venueName,
  codeIat: null,
  voidedAt: null,
});

/** Persons seeded for a hot-venue round or a designation, by name (this isolate only; bench). */
const seeded = new Map<string, string[]>();

/**
 * `n` persons as the apply route leaves their objects (initialised, green; no directory row: the
 * check-in write path and the exposure read none), `width` at a time. A railway station's visitors
 * all hold codes already: creating their objects is not part of a check-in's cost.
 */
async function seedPersons(env: Env, n: number, width = 32): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomId());
  await mapBounded(ids, width, (personId) =>
    env.PERSON.getByName(personId).importPerson({ personId, districtCode: "510106" }, [], null),
  );
  return ids;
}

/** Designations under way: the persons whose exposure is not seen yet (this isolate only; bench). */
const designations = new Map<
  string,
  { pending: Map<string, Set<string>>; at: number; doneMs: number | null }
>();

export async function venueBench(request: Request, env: Env, url: URL): Promise<Response | null> {
  const route = `${request.method} ${url.pathname}`;
  const n = (name: string, fallback: number, max: number) =>
    Math.min(max, Math.max(1, Number(url.searchParams.get(name) ?? fallback) || fallback));
  switch (route) {
    case "POST /__bench/seed-persons": {
      // Untimed set-up for `hot-venue?persons=NAME`: NAME's persons, initialised.
      const t0 = Date.now();
      const name = url.searchParams.get("name") ?? "hot";
      seeded.set(name, await seedPersons(env, n("n", 2000, 50_000)));
      return json({ persons: seeded.get(name)!.length, ms: Date.now() - t0 });
    }
    case "POST /__bench/hot-venue": {
      // n concurrent check-ins of n different persons into one venue, each the route's whole write
      // path (the person's object, which has the venue's object keep its copy); then the venue's own
      // count of them.
      const count = n("n", 2000, 20_000);
      const venueId = `ven_bench_${url.searchParams.get("name") ?? "hot"}`;
      // Persons seeded beforehand (`seed-persons`), or new ones whose objects the check-ins create.
      const persons = seeded.get(url.searchParams.get("persons") ?? "") ?? [];
      const started = Date.now();
      const latencies: number[] = [];
      const saved = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const t0 = Date.now();
          const s = await saveCheckIn(env, {
            venueId,
            venueName: "成都东站",
            personId: persons[i] ?? randomId(),
            kind: "printed",
            presence: "location",
            color: "green",
          });
          latencies.push(Date.now() - t0);
          return s;
        }),
      );
      const ms = Date.now() - started;
      const days = await env.VENUE.getByName(venueId).daily("2000-01-01");
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
      return json({
        calls: count,
        ms,
        created: saved.filter((s) => s.created).length,
        stored: days.reduce((sum, d) => sum + d.n, 0),
        p50: pct(0.5),
        p99: pct(0.99),
      });
    }
    case "POST /__bench/persons-read": {
      // One read-only call (a check-in looked up by an id that does not exist) on each of NAME's
      // persons at once: what reaching the visitors' objects costs alone, cold or warm.
      const persons = seeded.get(url.searchParams.get("persons") ?? "") ?? [];
      const started = Date.now();
      await Promise.all(persons.map((p) => env.PERSON.getByName(p).checkIn("ci_none")));
      return json({ calls: persons.length, ms: Date.now() - started });
    }
    case "POST /__bench/venue-object": {
      // The venue object's own share of the hot venue: n concurrent writes of n different persons'
      // new visits (as the route sends them once each person's object has decided), no person call.
      const count = n("n", 2000, 20_000);
      const venueId = `ven_bench_obj_${url.searchParams.get("name") ?? "hot"}`;
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: count }, () =>
          env.VENUE.getByName(venueId).record(newVisit(venueId, randomId(), "成都东站"), 28),
        ),
      );
      const ms = Date.now() - started;
      const days = await env.VENUE.getByName(venueId).daily("2000-01-01");
      return json({
        calls: count,
        ms,
        created: results.filter((r) => r.inserted).length,
        stored: days.reduce((sum, d) => sum + d.n, 0),
      });
    }
    case "POST /__bench/designation": {
      // `venues` directory rows (verified, one district) with `visits` visits each, then a
      // designation of the district, started as the route starts it; the clock starts there.
      const venues = n("venues", 200, 2000);
      const visits = n("visits", 100, 1000);
      const tag = Date.now().toString(36);
      const district = "510106";
      const now = new Date().toISOString();
      const venueIds = Array.from({ length: venues }, (_, i) => `ven_bd${tag}_${String(i).padStart(4, "0")}`);
      for (let i = 0; i < venueIds.length; i += 50)
        await env.DB.batch(
          venueIds.slice(i, i + 50).map((id) =>
            env.DB.prepare(
              `INSERT INTO venues (venue_id, owner_account_id, name, category, address, district_code, place_code_gen,
                 created_at, updated_at, status) VALUES (?, 'bench', ?, 'market', 'bench', ?, 1, ?, ?, 'verified')`,
            ).bind(id, id, district, now, now),
          ),
        );
      const t0 = Date.now() - 3_600_000;
      const t0Seed = Date.now();
      const riskAreaId = `ra_bench_${tag}`;
      const pending = new Map<string, Set<string>>();
      // Visitors who applied (`applied=1`: initialised objects, as in a province) or, by default,
      // persons whose objects the exposure itself creates (it keeps the facts until they apply).
      const applied = url.searchParams.get("applied") === "1";
      // `persons` distinct visitors (default: one per visit); fewer make each visit a person's
      // n-th, so a run keeps its visits with fewer objects (locally each open object holds files).
      const persons = n("persons", venues * visits, venues * visits);
      const visitors = applied
        ? await seedPersons(env, persons)
        : Array.from({ length: persons }, () => randomId());
      const seededMs = Date.now() - t0Seed;
      await mapBounded(venueIds, 16, async (venueId, v) => {
        const rows: CheckInRow[] = Array.from({ length: visits }, (_, j) => ({
          checkInId: `ci_${randomId()}`,
          venueId,
          personId: visitors[(v * visits + j) % persons]!,
          kind: "printed",
          checkedInAt: new Date(t0 + j * 1000).toISOString(),
          color: "green",
          distanceM: null,
          deviceKeyId: null,
          entryId: null,
          presence: "location",
          venueName: venueId,
          codeIat: null,
          voidedAt: null,
        }));
        await env.VENUE.getByName(venueId).recordMany(rows, 28);
        for (const row of rows) {
          const ids = pending.get(row.personId) ?? new Set<string>();
          ids.add(`exposure:${riskAreaId}:${row.checkInId}`);
          pending.set(row.personId, ids);
        }
      });
      const area = {
        riskAreaId,
        level: "high" as const,
        districtCode: district,
        venueIds: null,
        from: new Date(t0 - 60_000).toISOString(),
        to: new Date().toISOString(),
        reason: "bench",
        createdBy: "bench",
        createdAt: new Date().toISOString(),
        affectedPersons: pending.size,
        excludeUnconfirmed: false,
        liftedAt: null,
        liftedBy: null,
        liftReason: null,
      };
      const at = Date.now();
      await insertRiskArea(env, area, {
        venueIdsJson: "[]",
        districtLike: district,
        from: area.from,
        to: area.to,
      });
      await startExposure(env, riskAreaId);
      designations.set(riskAreaId, { pending, at, doneMs: null });
      return json({
        riskAreaId,
        venues,
        visits: venues * visits,
        persons: pending.size,
        applied,
        seedMs: Date.now() - t0Seed,
        personsSeedMs: seededMs,
      });
    }
    case "GET /__bench/designation": {
      // How many visitors' objects do not hold their exposure yet (each asked until it does).
      const d = designations.get(url.searchParams.get("riskAreaId") ?? "");
      if (!d) return json({ error: "unknown designation" }, 404);
      await mapBounded([...d.pending], 64, async ([personId, ids]) => {
        const held = new Set((await env.PERSON.getByName(personId).facts("exposure")).map((f) => f.id));
        if ([...ids].every((id) => held.has(id))) d.pending.delete(personId);
      });
      if (d.pending.size === 0 && d.doneMs === null) d.doneMs = Date.now() - d.at;
      return json({ pending: d.pending.size, doneMs: d.doneMs, elapsedMs: Date.now() - d.at });
    }
    case "GET /__bench/phase/person-record":
    case "GET /__bench/phase/venue-record": {
      // One new visit through the person's object (which has the venue's object keep its copy), or
      // into the venue's object alone: what each object's share of a new visit costs.
      const venueId = url.searchParams.get("venue") ?? `ven_bench_${randomId()}`;
      const personId = url.searchParams.get("person") ?? randomId();
      const forPerson = url.pathname.endsWith("person-record");
      const row = newVisit(forPerson ? `ven_bench_${randomId()}` : venueId, personId, "bench");
      if (forPerson) {
        const check = { dedupeSince: new Date(Date.now() - 120_000).toISOString(), replaySince: null };
        return json(await env.PERSON.getByName(personId).recordCheckIn(row, check, 28));
      }
      return json(await env.VENUE.getByName(venueId).record(row, 28));
    }
    default:
      return null;
  }
}
