import { exposureFact } from "../../durable/exposure-facts";
import type { ExposureFact, RiskAreaLiftedFact } from "../../durable/rules/facts";
import type { Keyset, VenueDesignation } from "../../durable/venue-types";
import type { RiskAreaRow } from "../../schema/d1/risk-areas";
import { chunk } from "../lib/chunk";
import { log } from "../lib/log";
import { coveredVenuePage, findRiskArea } from "./repo";

/**
 * Messages on `healthpass-exposure`. A designation sends one `venues` message; it reads a page of the
 * covered venue ids (D1 `risk_area_venues`, fixed at designation) and sends one `venue` message per
 * venue (and the next `venues` page). The `venue` messages run in parallel, each against its own
 * venue object: it keeps the designation, pages out its visitors in the window and records them as
 * touched; the exposure facts go to their person objects from the message. A venue with more
 * visitors than a page sends itself the next page. Lifting runs the same way (`lift_venues`,
 * `lift_venue`) over the persons each venue object recorded as touched.
 */
export type ExposureMessage =
  | { type: "venues"; riskAreaId: string; after: string }
  | { type: "venue"; riskAreaId: string; venueId: string; after: Keyset | null }
  | { type: "lift_venues"; riskAreaId: string; after: string }
  | { type: "lift_venue"; riskAreaId: string; venueId: string; after: string };

/** Visits read from one venue object per message. */
export const PAGE_SIZE = 500;
/** Covered venues listed per `venues` message: one `venue` message each. */
export const VENUES_PER_PAGE = 500;
/** Person objects called at once from one message. */
const CONCURRENCY = 25;

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

/** What a venue object keeps of a designation. */
export const designationOf = (a: RiskAreaRow): VenueDesignation => ({
  riskAreaId: a.riskAreaId,
  level: a.level,
  from: a.from,
  to: a.to,
  reason: a.reason,
  excludeUnconfirmed: a.excludeUnconfirmed,
});

async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

async function send(env: Env, messages: ExposureMessage[]): Promise<void> {
  // sendBatch takes at most 100 messages.
  for (const group of chunk(messages, 100))
    await env.EXPOSURE_QUEUE.sendBatch(group.map((body) => ({ body })));
}

/**
 * Starts the fan-out. The first page of covered venues is told of the designation here, before the
 * designating request answers, so a visit made just after is matched at check-in at once; farther
 * venues learn it from their `venue` message (a visit made before that is in their page: reached too).
 */
export async function startExposure(env: Env, riskAreaId: string): Promise<void> {
  const area = await findRiskArea(env, riskAreaId);
  if (!area) return;
  const first = await coveredVenuePage(env, riskAreaId, "", VENUES_PER_PAGE);
  const d = designationOf(area);
  await inParallel(first, (venueId) => env.VENUE.getByName(venueId).designate(venueId, d));
  await handleVenues(env, area, "", false, first);
}

export async function startLift(env: Env, riskAreaId: string): Promise<void> {
  await send(env, [{ type: "lift_venues", riskAreaId, after: "" }]);
}

/** One page of covered venues → one message each (exposure or lift), and the next page. */
async function handleVenues(
  env: Env,
  area: RiskAreaRow,
  after: string,
  lift: boolean,
  page?: string[],
): Promise<void> {
  // A lifted designation stops spreading; persons already reached get the lift through `lift_venues`.
  if (!lift && area.liftedAt) return;
  const ids = page ?? (await coveredVenuePage(env, area.riskAreaId, after, VENUES_PER_PAGE));
  const riskAreaId = area.riskAreaId;
  const out: ExposureMessage[] = ids.map((venueId) =>
    lift
      ? { type: "lift_venue", riskAreaId, venueId, after: "" }
      : { type: "venue", riskAreaId, venueId, after: null },
  );
  const last = ids[ids.length - 1];
  if (ids.length === VENUES_PER_PAGE && last)
    out.push(
      lift ? { type: "lift_venues", riskAreaId, after: last } : { type: "venues", riskAreaId, after: last },
    );
  await send(env, out);
}

async function handleVenue(
  env: Env,
  area: RiskAreaRow,
  msg: Extract<ExposureMessage, { type: "venue" }>,
): Promise<void> {
  if (area.liftedAt) return;
  // The venue object records the persons as touched before we add their facts, so a lift that
  // starts meanwhile finds them.
  const { visits, next } = await env.VENUE.getByName(msg.venueId).exposurePage(
    msg.venueId,
    designationOf(area),
    msg.after,
    PAGE_SIZE,
  );
  if (next) await send(env, [{ ...msg, after: next }]);
  const byPerson = new Map<string, ExposureFact[]>();
  for (const v of visits)
    byPerson.set(v.personId, [...(byPerson.get(v.personId) ?? []), exposureFact(area, v)]);
  await inParallel([...byPerson], ([personId, facts]) => env.PERSON.getByName(personId).addFacts(facts));
  // Lifted while we were adding: the lift may have paged this venue's touched persons before the
  // venue recorded ours, so they get the lift from here too (the fact id makes a second copy a no-op).
  const now = await findRiskArea(env, area.riskAreaId);
  if (now?.liftedAt) await liftPersons(env, now, [...byPerson.keys()]);
}

async function liftPersons(env: Env, area: RiskAreaRow, personIds: string[]): Promise<void> {
  const fact = liftedFact(area);
  await inParallel(personIds, (personId) => env.PERSON.getByName(personId).addFacts([fact]));
}

async function handleLiftVenue(
  env: Env,
  area: RiskAreaRow,
  msg: Extract<ExposureMessage, { type: "lift_venue" }>,
): Promise<void> {
  if (!area.liftedAt) return;
  const { personIds, next } = await env.VENUE.getByName(msg.venueId).liftPage(
    area.riskAreaId,
    area.liftedAt,
    msg.after,
    PAGE_SIZE,
  );
  if (next) await send(env, [{ ...msg, after: next }]);
  await liftPersons(env, area, personIds);
}

/**
 * The `healthpass-exposure` consumer. Every step is idempotent (fact ids, the venue object's keyed
 * tables), so a message delivered twice changes nothing more than once.
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
  // The messages of a batch are independent (each its own venue): run them together.
  await Promise.all(
    batch.messages.map(async (m) => {
      const body = m.body as ExposureMessage;
      try {
        const a = typeof body?.riskAreaId === "string" ? await area(body.riskAreaId) : undefined;
        if (!a) {
          // Unknown designation or a message no version of this code sends: retrying cannot help.
          log("error", "exposure message for no risk area", { id: m.id });
          m.ack();
          return;
        }
        if (body.type === "venues") await handleVenues(env, a, body.after, false);
        else if (body.type === "venue") await handleVenue(env, a, body);
        else if (body.type === "lift_venues") await handleVenues(env, a, body.after, true);
        else if (body.type === "lift_venue") {
          const fresh = a.liftedAt ? a : await findRiskArea(env, a.riskAreaId);
          if (fresh?.liftedAt) await handleLiftVenue(env, fresh, body);
        } else log("error", "exposure message of no known type", { id: m.id });
        m.ack();
      } catch (error) {
        log("error", "exposure message failed", { id: m.id, error: String(error) });
        m.retry();
      }
    }),
  );
}
