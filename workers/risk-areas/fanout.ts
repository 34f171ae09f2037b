import type { ExposureFact, RiskAreaLiftedFact } from "../../durable/rules/facts";
import type { RiskAreaRow } from "../../schema/d1/risk-areas";
import { chunk } from "../lib/chunk";
import { log } from "../lib/log";
import { findRiskArea, nextCoveredVenue, recordTouched, touchedPage, type Visit, visitsPage } from "./repo";

/**
 * Messages on `healthpass-exposure`. A designation sends one `page`; each page reads a bounded slice
 * of check-ins (keyset over one venue at a time), sends `exposure` messages of at most ITEMS_PER_MESSAGE
 * visits and then the next `page`. So neither the request nor any one message ever reads a venue's
 * whole history, however many check-ins it has. Lifting runs the same way over the persons touched.
 */
export type ExposureMessage =
  | { type: "page"; riskAreaId: string; venueId: string | null; after: { at: string; id: string } | null }
  | { type: "exposure"; riskAreaId: string; items: Omit<Visit, never>[] }
  | { type: "lift_page"; riskAreaId: string; after: string }
  | { type: "lift"; riskAreaId: string; personIds: string[] };

export const PAGE_SIZE = 500;
export const ITEMS_PER_MESSAGE = 100;
/** Venues without check-ins in the window are skipped inside one message, up to this many. */
const MAX_VENUE_HOPS = 25;
/** Person objects called at once from one message. */
const CONCURRENCY = 10;

export function exposureFact(area: RiskAreaRow, v: Visit): ExposureFact {
  return {
    kind: "exposure",
    id: `exposure:${area.riskAreaId}:${v.checkInId}`,
    riskAreaId: area.riskAreaId,
    venueId: v.venueId,
    venueName: v.venueName,
    level: area.level,
    visitedAt: v.visitedAt,
    reason: area.reason,
    checkInId: v.checkInId,
    ...(v.presence ? { presence: v.presence } : {}),
  };
}

export function liftedFact(area: RiskAreaRow): RiskAreaLiftedFact {
  return {
    kind: "risk_area_lifted",
    id: `lifted:${area.riskAreaId}`,
    riskAreaId: area.riskAreaId,
    liftedAt: area.liftedAt!,
    reason: area.liftReason ?? "",
    actor: area.liftedBy ?? "",
  };
}

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  for (const group of chunk(items, CONCURRENCY)) await Promise.all(group.map(fn));
}

async function send(env: Env, messages: ExposureMessage[]): Promise<void> {
  // sendBatch takes at most 100 messages; a page makes PAGE_SIZE / ITEMS_PER_MESSAGE + 1.
  for (const group of chunk(messages, 100))
    await env.EXPOSURE_QUEUE.sendBatch(group.map((body) => ({ body })));
}

export async function startExposure(env: Env, riskAreaId: string): Promise<void> {
  await send(env, [{ type: "page", riskAreaId, venueId: null, after: null }]);
}

export async function startLift(env: Env, riskAreaId: string): Promise<void> {
  await send(env, [{ type: "lift_page", riskAreaId, after: "" }]);
}

async function handlePage(
  env: Env,
  area: RiskAreaRow,
  msg: Extract<ExposureMessage, { type: "page" }>,
): Promise<void> {
  // A lifted designation stops spreading; persons already reached get the lift through `lift_page`.
  if (area.liftedAt) return;
  let venueId = msg.venueId ?? (await nextCoveredVenue(env, area.riskAreaId, ""));
  let after = msg.after;
  const visits: Visit[] = [];
  let next: ExposureMessage | null = null;
  for (let hop = 0; venueId && hop < MAX_VENUE_HOPS; hop++) {
    const limit = PAGE_SIZE - visits.length;
    const rows = await visitsPage(env, venueId, area, after, limit);
    visits.push(...rows);
    const last = rows[rows.length - 1];
    if (rows.length === limit && last) {
      next = {
        type: "page",
        riskAreaId: area.riskAreaId,
        venueId,
        after: { at: last.visitedAt, id: last.checkInId },
      };
      break;
    }
    venueId = await nextCoveredVenue(env, area.riskAreaId, venueId);
    after = null;
    if (venueId && hop === MAX_VENUE_HOPS - 1)
      next = { type: "page", riskAreaId: area.riskAreaId, venueId, after: null };
  }
  const out: ExposureMessage[] = chunk(visits, ITEMS_PER_MESSAGE).map((items) => ({
    type: "exposure",
    riskAreaId: area.riskAreaId,
    items,
  }));
  if (next) out.push(next);
  await send(env, out);
}

async function handleExposure(env: Env, area: RiskAreaRow, items: Visit[]): Promise<void> {
  if (area.liftedAt) return;
  const personIds = [...new Set(items.map((i) => i.personId))];
  // Recorded before the facts, so a lift that starts meanwhile finds these persons.
  await recordTouched(env, area.riskAreaId, personIds);
  const byPerson = new Map<string, ExposureFact[]>();
  for (const v of items)
    byPerson.set(v.personId, [...(byPerson.get(v.personId) ?? []), exposureFact(area, v)]);
  await inParallel([...byPerson], ([personId, facts]) => env.PERSON.getByName(personId).addFacts(facts));
  // Lifted while we were adding: the lift's own fan-out may have read the touched set before our
  // insert, so these persons get the lift from here too (the fact id makes a second copy a no-op).
  const now = await findRiskArea(env, area.riskAreaId);
  if (now?.liftedAt) await liftPersons(env, now, personIds);
}

async function liftPersons(env: Env, area: RiskAreaRow, personIds: string[]): Promise<void> {
  const fact = liftedFact(area);
  await inParallel(personIds, (personId) => env.PERSON.getByName(personId).addFacts([fact]));
}

async function handleLiftPage(env: Env, area: RiskAreaRow, after: string): Promise<void> {
  const ids = await touchedPage(env, area.riskAreaId, after, PAGE_SIZE);
  const out: ExposureMessage[] = chunk(ids, ITEMS_PER_MESSAGE).map((personIds) => ({
    type: "lift",
    riskAreaId: area.riskAreaId,
    personIds,
  }));
  const last = ids[ids.length - 1];
  if (ids.length === PAGE_SIZE && last)
    out.push({ type: "lift_page", riskAreaId: area.riskAreaId, after: last });
  await send(env, out);
}

/**
 * The `healthpass-exposure` consumer. Every step is idempotent (fact ids, ON CONFLICT inserts), so a
 * message delivered twice, or a page handled twice, changes nothing more than once.
 */
export async function consumeExposure(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const areas = new Map<string, Promise<RiskAreaRow | undefined>>();
  const area = (id: string) => {
    let a = areas.get(id);
    if (!a) {
      a = findRiskArea(env, id);
      areas.set(id, a);
    }
    return a;
  };
  for (const m of batch.messages) {
    const body = m.body as ExposureMessage;
    try {
      const a = typeof body?.riskAreaId === "string" ? await area(body.riskAreaId) : undefined;
      if (!a) {
        // Unknown designation or a message no version of this code sends: retrying cannot help.
        log("error", "exposure message for no risk area", { id: m.id });
        m.ack();
        continue;
      }
      if (body.type === "page") await handlePage(env, a, body);
      else if (body.type === "exposure") await handleExposure(env, a, body.items);
      else if (body.type === "lift_page") await handleLiftPage(env, a, body.after);
      else if (body.type === "lift") {
        const fresh = a.liftedAt ? a : await findRiskArea(env, a.riskAreaId);
        if (fresh?.liftedAt) await liftPersons(env, fresh, body.personIds);
      }
      m.ack();
    } catch (error) {
      log("error", "exposure message failed", { id: m.id, error: String(error) });
      m.retry();
    }
  }
}
