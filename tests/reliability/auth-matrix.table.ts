/**
 * THE authorisation table: every route × every kind of caller → what the caller gets.
 *   "ok"  the request passes authentication and authorisation: any status but 401/403 (and but the
 *         row's own denial status, e.g. 404 where foreign resources are hidden), never a 5xx;
 *   401   refused for its credential (none, wrong kind, revoked, not an ID token / not a key);
 *   403   a valid credential without the right (a person on an authority route, a stranger's person);
 *   404   a valid credential, the resource hidden (someone else's venue looks like no venue).
 * The matrix test fails when the app has a route without a row, or a row names no route.
 */
import type { CallerName } from "./helpers/world";

export type Expect = "ok" | 401 | 403 | 404;
export type Row = Record<CallerName, Expect>;

const ALL_401: Row = {
  none: 401,
  person: 401,
  otherPerson: 401,
  guardian: 401,
  pendingProxy: 401,
  deniedProxy: 401,
  removedManager: 401,
  device: 401,
  revokedDevice: 401,
  lab: 401,
  revokedLab: 401,
  vaccinationSite: 401,
  authority: 401,
};

/** Anyone, with or without a credential (a credential the route does not need is ignored). */
const PUBLIC: Row = Object.fromEntries(Object.keys(ALL_401).map((k) => [k, "ok"])) as Row;
/** Any valid ID token; nothing else. */
const ANY_PERSON: Row = {
  ...ALL_401,
  person: "ok",
  otherPerson: "ok",
  guardian: "ok",
  pendingProxy: "ok",
  deniedProxy: "ok",
  removedManager: "ok",
  authority: "ok",
};
/** Accounts that asked to manage the person and were not (or are no longer) allowed: nothing of theirs. */
const NOT_APPROVED = { pendingProxy: 403, deniedProxy: 403, removedManager: 403 } as const;
/**
 * The person's own data: the person and their approved guardian, nobody else (the authority, a pending,
 * denied or removed applicant included).
 */
const MANAGED: Row = { ...ANY_PERSON, ...NOT_APPROVED, otherPerson: 403, authority: 403 };
/** Where the person has been: an adult with their own account, so only the person (issue 17). */
const OWN_WHEREABOUTS: Row = { ...MANAGED, guardian: 403 };
/** Who manages the person: the person's own account only. */
const OWN_ACCOUNT: Row = { ...MANAGED, guardian: 403 };
/** The venue's owner ("person" registered it); other accounts see no such venue. */
const VENUE_OWNER: Row = {
  ...ANY_PERSON,
  otherPerson: 404,
  guardian: 404,
  pendingProxy: 404,
  deniedProxy: 404,
  removedManager: 404,
  authority: 404,
};
/** The authority role. */
const AUTHORITY: Row = { ...ANY_PERSON, ...NOT_APPROVED, person: 403, otherPerson: 403, guardian: 403 };
const DEVICE: Row = { ...ALL_401, device: "ok" };
const LAB: Row = { ...ALL_401, lab: "ok" };
const VACCINATION_SITE: Row = { ...ALL_401, vaccinationSite: "ok" };

export const MATRIX: Record<string, Row> = {
  // Public
  "GET /health": PUBLIC,
  "GET /.well-known/jwks.json": PUBLIC,
  "GET /.well-known/crl/{file}": PUBLIC,
  "GET /.well-known/healthpass-issuer.json": PUBLIC,
  "GET /v1/verifier-bundle": PUBLIC,
  // The public log (issue 13): checkpoint, key and tiles for anyone
  "GET /log/checkpoint": PUBLIC,
  "GET /log/key": PUBLIC,
  "GET /log/tile/{tile}": PUBLIC,
  "GET /log/tile/*": PUBLIC,
  "GET /openapi.json": PUBLIC,
  "GET /docs": PUBLIC,
  "POST /v1/verify": PUBLIC,
  "GET /v1/push/vapid-public-key": PUBLIC,
  "GET /v1/testing-sites": PUBLIC,
  "GET /v1/risk-areas": PUBLIC,
  "GET /v1/venues/{venueId}/poster.svg": PUBLIC,
  "GET /c/{placeCode}": PUBLIC,
  // Web pages (the person's, the venue's and the authority's); their API calls are what is guarded
  "GET /": PUBLIC,
  "GET /venue": PUBLIC,
  "GET /authority": PUBLIC,
  // Development mode (on in tests; off in production, see persons.security.test.ts)
  "POST /dev/id-token": PUBLIC,
  "GET /dev/seed": PUBLIC,
  "ALL /dev/*": PUBLIC,

  // Persons
  "POST /v1/persons": ANY_PERSON,
  "GET /v1/persons": ANY_PERSON,
  "GET /v1/persons/{personId}/code": MANAGED,
  "GET /v1/persons/{personId}/status": MANAGED,
  "GET /v1/persons/{personId}/log-proof": MANAGED,
  "POST /v1/persons/{personId}/paper-code": MANAGED,
  "GET /v1/persons/{personId}/paper-codes": MANAGED,
  "GET /v1/persons/{personId}/paper-code/{file}": MANAGED,
  "DELETE /v1/persons/{personId}/paper-code/{codeId}": MANAGED,
  "GET /v1/persons/{personId}/results": MANAGED,
  "GET /v1/persons/{personId}/vaccinations": MANAGED,
  "GET /v1/persons/{personId}/checkins": OWN_WHEREABOUTS,
  "POST /v1/persons/{personId}/appeals": MANAGED,
  "GET /v1/persons/{personId}/appeals": MANAGED,
  "GET /v1/persons/{personId}/managers": OWN_ACCOUNT,
  "POST /v1/persons/{personId}/managers/{requestId}/approve": OWN_ACCOUNT,
  "POST /v1/persons/{personId}/managers/{requestId}/deny": OWN_ACCOUNT,
  "DELETE /v1/persons/{personId}/managers/{managerId}": OWN_ACCOUNT,
  "POST /v1/push/subscriptions": ANY_PERSON,
  "DELETE /v1/push/subscriptions": ANY_PERSON,
  // Where an adult with their own account has been is theirs: not even an approved relative checks them in.
  "POST /v1/checkins": OWN_WHEREABOUTS,

  // Venues (owner) and their devices
  "POST /v1/venues": ANY_PERSON,
  "GET /v1/venues": ANY_PERSON,
  "PATCH /v1/venues/{venueId}": VENUE_OWNER,
  "DELETE /v1/venues/{venueId}": VENUE_OWNER,
  "GET /v1/venues/{venueId}/stats": VENUE_OWNER,
  "POST /v1/venues/{venueId}/device-keys": VENUE_OWNER,
  "GET /v1/venues/{venueId}/device-keys": VENUE_OWNER,
  "DELETE /v1/venues/{venueId}/device-keys/{keyId}": VENUE_OWNER,
  "GET /v1/venues/{venueId}/rotating-code": { ...VENUE_OWNER, device: "ok" },
  "POST /v1/venue/scan": DEVICE,
  "POST /v1/venue/lookup": DEVICE,
  "POST /v1/venue/manual-entries": DEVICE,

  // Labs and vaccination sites
  "POST /v1/lab/results": LAB,
  "POST /v1/vaccination/records": VACCINATION_SITE,

  // Authority
  "POST /v1/authority/labs": AUTHORITY,
  "GET /v1/authority/labs": AUTHORITY,
  "POST /v1/authority/labs/{labId}/keys": AUTHORITY,
  "DELETE /v1/authority/labs/{labId}/keys/{keyId}": AUTHORITY,
  "POST /v1/authority/vaccination-sites": AUTHORITY,
  "POST /v1/authority/events": AUTHORITY,
  "POST /v1/authority/rule-sets": AUTHORITY,
  "GET /v1/authority/rule-sets": AUTHORITY,
  "POST /v1/authority/rule-sets/previews": AUTHORITY,
  "GET /v1/authority/rule-sets/previews/{previewId}": AUTHORITY,
  "GET /v1/authority/stats": AUTHORITY,
  "POST /v1/authority/stats/backfill": AUTHORITY,
  "GET /v1/authority/stats/backfill": AUTHORITY,
  "GET /v1/authority/dead-letters": AUTHORITY,
  "POST /v1/authority/dead-letters/{id}/replay": AUTHORITY,
  "POST /v1/authority/testing-sites": AUTHORITY,
  "PATCH /v1/authority/testing-sites/{siteId}": AUTHORITY,
  "DELETE /v1/authority/testing-sites/{siteId}": AUTHORITY,
  "GET /v1/authority/appeals": AUTHORITY,
  "POST /v1/authority/appeals/{id}/answer": AUTHORITY,
  "POST /v1/authority/imports": AUTHORITY,
  "POST /v1/authority/risk-areas": AUTHORITY,
  "DELETE /v1/authority/risk-areas/{riskAreaId}": AUTHORITY,
  "POST /v1/authority/risk-areas/{riskAreaId}/lift": AUTHORITY,
  "POST /v1/authority/issuers": AUTHORITY,
  "GET /v1/authority/issuers": AUTHORITY,
  "PATCH /v1/authority/issuers/{issuer}": AUTHORITY,
  "POST /v1/authority/issuers/{issuer}/refresh": AUTHORITY,
  "POST /v1/authority/revocations": AUTHORITY,
  "GET /v1/authority/venues": AUTHORITY,
  "POST /v1/authority/venues/{venueId}/verify": AUTHORITY,
  "POST /v1/authority/signing-keys": AUTHORITY,
  "GET /v1/authority/signing-keys": AUTHORITY,
  "DELETE /v1/authority/issuers/{issuer}": AUTHORITY,
};
