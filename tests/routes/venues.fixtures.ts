// Shared set-up for the venue, check-in and risk-area tests (not a test file itself).
import { base64url, importJWK, SignJWT } from "jose";
import type { PersonSummarySchema } from "../../schema/wire/persons";
import type { CreatedVenueSchema } from "../../schema/wire/venues";
import { authorityToken, call, env, idToken, type Wire } from "../helpers/api";
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
  return { privateKey: await importJWK({ ...jwk, alg: "ES256" }, "ES256"), kid: jwks.keys[0].kid as string };
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

/** Inserts check-ins straight into D1 with multi-row inserts (10 rows × 5 columns: under D1's 100 bound parameters). */
export async function insertCheckIns(
  rows: { checkInId: string; venueId: string; personId: string; checkedInAt: string; kind?: string }[],
) {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 10) {
    const part = rows.slice(i, i + 10);
    statements.push(
      env.DB.prepare(
        `INSERT INTO checkins (check_in_id, venue_id, person_id, kind, checked_in_at, color) VALUES ${part.map(() => "(?, ?, ?, ?, ?, 'green')").join(", ")}`,
      ).bind(
        ...part.flatMap((r) => [r.checkInId, r.venueId, r.personId, r.kind ?? "printed", r.checkedInAt]),
      ),
    );
  }
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
}

/** A random id of the personId shape (22 base64url characters, 128 bits). */
export function randomPersonId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return base64url.encode(bytes);
}
