// Shared set-up for the venue, check-in and risk-area tests (not a test file itself).
import { runInDurableObject } from "cloudflare:test";
import { base64url, importJWK, SignJWT } from "jose";
import type { VenueObject } from "../../durable/venue";
import type { CheckInKind, Presence } from "../../schema/checkins";
import type { PersonSummarySchema } from "../../schema/wire/persons";
import type { CreatedVenueSchema } from "../../schema/wire/venues";
import { authorityToken, call, env, first, idToken, type Wire } from "../helpers/api";
import { applicant, freshResidentId } from "../helpers/identities";

export const CHENGDU = { lat: 30.6575, lon: 104.0657 };

export async function aPerson(tag = "p") {
  const idNumber = freshResidentId();
  const token = await idToken(`${tag}-${idNumber}`, { idType: "resident_id", idNumber });
  const res = await call<Wire<typeof PersonSummarySchema>>("POST", "/v1/persons", {
    token,
    body: applicant(idNumber),
  });
  if (res.status !== 201) throw new Error(`apply failed ${res.status} ${JSON.stringify(res.body)}`);
  return { token, personId: res.body.personId, idNumber };
}

/** The authority verifies a venue through its API (staff look-ups and identified entries need it). */
export async function verifyVenue(venueId: string) {
  const res = await call("POST", `/v1/authority/venues/${venueId}/verify`, {
    token: await authorityToken(),
    body: { reason: "checked the registration" },
  });
  if (res.status !== 200) throw new Error(`verify failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A venue its owner registered and the authority verified. */
export async function aVerifiedVenue(token: string, overrides: Record<string, unknown> = {}) {
  const venue = await aVenue(token, overrides);
  await verifyVenue(venue.venueId);
  return venue;
}

export async function aVenue(token: string, overrides: Record<string, unknown> = {}) {
  const res = await call<Wire<typeof CreatedVenueSchema>>("POST", "/v1/venues", {
    token,
    body: {
      name: "锦江农贸市场",
      category: "market",
      address: "成都市锦江区红星路1号",
      districtCode: "510104",
      location: CHENGDU,
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`venue failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function ourSigningKey() {
  const jwk = JSON.parse(env.SIGNING_KEYS)[0];
  const jwks = (await call("GET", "/.well-known/jwks.json")).body;
  return {
    privateKey: await importJWK({ ...jwk, alg: "ES256" }, "ES256"),
    kid: first(jwks.keys, "JWKS keys").kid,
  };
}

/** A place code signed by hand, e.g. an expired rotating one, or one with a stranger's key. */
export async function signPlace(
  payload: Record<string, unknown>,
  opts: { key?: CryptoKey; kid?: string; typ?: string } = {},
) {
  const ours = await ourSigningKey();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? ours.kid, typ: opts.typ ?? "place+jwt" })
    .sign(opts.key ?? ours.privateKey);
}

export const b64json = (o: unknown) => base64url.encode(JSON.stringify(o));

/**
 * Puts check-ins straight into their venues' objects (as the check-in route's second write leaves
 * them), venues in parallel, without the HTTP round trips. The venue's current name is kept with
 * each visit unless the row names one.
 */
export async function insertCheckIns(
  rows: {
    checkInId: string;
    venueId: string;
    personId: string;
    checkedInAt: string;
    kind?: CheckInKind;
    presence?: Presence;
    venueName?: string;
  }[],
) {
  const byVenue = new Map<string, typeof rows>();
  for (const r of rows) byVenue.set(r.venueId, [...(byVenue.get(r.venueId) ?? []), r]);
  await Promise.all(
    [...byVenue].map(async ([venueId, visits]) => {
      const venue = await env.DB.prepare("SELECT name FROM venues WHERE venue_id = ?")
        .bind(venueId)
        .first<{ name: string }>();
      await runInDurableObject(env.VENUE.getByName(venueId), async (object: VenueObject) => {
        for (const v of visits) {
          await object.record(
            {
              checkInId: v.checkInId,
              venueId,
              personId: v.personId,
              kind: v.kind ?? "printed",
              checkedInAt: v.checkedInAt,
              color: "green",
              distanceM: null,
              deviceKeyId: null,
              entryId: null,
              presence: v.presence ?? "unconfirmed",
              venueName: v.venueName ?? venue?.name ?? null,
              codeIat: null,
              voidedAt: null,
            },
            28,
          );
        }
      });
    }),
  );
}

/** Row counts of every D1 table: a check-in lane must leave them all unchanged. */
export async function d1RowCounts(): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
  ).all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of results)
    counts[name] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
  return counts;
}

/** A random id of the personId shape (22 base64url characters, 128 bits). */
export function randomPersonId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return base64url.encode(bytes);
}

/** The check-ins a venue's object holds (its storage, read in place). */
export async function venueRows(venueId: string) {
  return runInDurableObject(env.VENUE.getByName(venueId), async (_: VenueObject, state) =>
    state.storage.sql
      .exec<{
        check_in_id: string;
        person_id: string;
        kind: string;
        presence: string;
        entry_id: string | null;
        checked_in_at: string;
      }>("SELECT * FROM checkins ORDER BY checked_in_at, check_in_id")
      .toArray(),
  );
}

/** The check-ins a person's object holds, newest first. */
export const personVisits = (personId: string) => env.PERSON.getByName(personId).checkIns(1000);

/** The distinct persons a designation touched, across the venue objects it covers. */
export async function touchedBy(riskAreaId: string): Promise<Set<string>> {
  const { results } = await env.DB.prepare("SELECT venue_id FROM risk_area_venues WHERE risk_area_id = ?")
    .bind(riskAreaId)
    .all<{ venue_id: string }>();
  const persons = new Set<string>();
  await Promise.all(
    results.map(async ({ venue_id }) => {
      for (let after = ""; ; ) {
        const ids = await env.VENUE.getByName(venue_id).touched(riskAreaId, after, 1000);
        for (const id of ids) persons.add(id);
        if (ids.length < 1000) return;
        after = ids[ids.length - 1]!;
      }
    }),
  );
  return persons;
}
