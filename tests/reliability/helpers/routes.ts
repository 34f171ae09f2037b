/**
 * The app's real routes, and one minimal valid request for each. Routes come from the OpenAPI
 * document plus whatever the Hono app serves outside it, so a route added anywhere shows up here.
 */
import { app } from "../../../workers/index";
import { applicant, freshResidentId } from "../../helpers/identities";
import { openApiOperations, type World } from "./world";

/** Hono `/v1/persons/:personId/code` → OpenAPI `/v1/persons/{personId}/code`. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

/** Middleware registered for every path: not routes of their own. */
const MIDDLEWARE_PATHS = new Set(["*", "/*"]);

/** Every `METHOD /path` the app answers: OpenAPI operations ∪ plain Hono routes. */
export function appRoutes(): string[] {
  const routes = openApiOperations();
  for (const r of app.routes) {
    if (MIDDLEWARE_PATHS.has(r.path)) continue;
    routes.add(`${r.method.toUpperCase()} ${openApiPath(r.path)}`);
  }
  return [...routes].sort();
}

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;
const now = () => new Date().toISOString();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

/** Path parameters: the world's own resources, or ids that exist nowhere (a 404 after auth). */
const PARAMS: Record<string, (w: World) => string> = {
  personId: (w) => w.personId,
  venueId: (w) => w.venueId,
  labId: (w) => w.labId,
  keyId: () => "key_doesnotexist",
  siteId: () => "site_doesnotexist",
  riskAreaId: () => "ra_doesnotexist",
  codeId: () => "pc_doesnotexist",
  file: () => "doesnotexist.json",
  id: () => "doesnotexist",
  issuer: () => encodeURIComponent("https://nowhere.example"),
  placeCode: (w) => w.placeCode,
  requestId: (w) => w.spareRequestId,
  managerId: (w) => w.spareRequestId,
  previewId: () => "00000000-0000-4000-8000-000000000000",
  tile: () => "0/000",
};

/** Routes whose parameters must name something else (so a cell does not destroy the world). */
const PARAM_OVERRIDES: Record<string, Record<string, (w: World) => string>> = {
  "DELETE /v1/venues/{venueId}": { venueId: (w) => w.spareVenueId },
  "DELETE /v1/venues/{venueId}/device-keys/{keyId}": { keyId: (w) => w.spareDeviceKeyId },
  "GET /v1/persons/{personId}/paper-code/{file}": { file: () => "pc_doesnotexist.html" },
};

export function concretePath(route: string, w: World): { method: string; path: string } {
  const [method, template] = route.split(" ") as [string, string];
  const overrides = PARAM_OVERRIDES[route] ?? {};
  const path = template
    .replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const f = overrides[name] ?? PARAMS[name];
      if (!f) throw new Error(`no value for path parameter {${name}} of ${route}: add it to PARAMS`);
      return f(w);
    })
    .replace(/\*$/, "reliability-probe");
  return { method: method === "ALL" ? "GET" : method, path };
}

export interface SampleRequest {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A request body that passes validation, where a route's access check comes after validation
 * (otherwise a denied caller would see 400 first). Routes not listed get `{}`, or nothing for GET/DELETE.
 */
export const VALID_BODIES: Record<string, (w: World) => SampleRequest> = {
  "POST /v1/verify": () => ({ body: { token: "not.a.code" } }),
  "POST /dev/id-token": () => ({ body: { sub: unique("probe") } }),
  "POST /v1/persons": () => ({ body: applicant(freshResidentId(), { relationship: "other" }) }),
  "POST /v1/persons/{personId}/appeals": () => ({
    body: { kind: "question", text: "Why is my code this colour?" },
  }),
  "POST /v1/checkins": (w) => ({ body: { placeCode: w.placeCode, personId: w.personId } }),
  "POST /v1/venues": () => ({
    body: { name: unique("Shop"), category: "other", address: "2 Test Road", districtCode: "510104" },
  }),
  // Not the name, address, district or location: those make the venue unverified again.
  "PATCH /v1/venues/{venueId}": () => ({ body: { category: "market" } }),
  "POST /v1/venues/{venueId}/device-keys": () => ({ body: { label: "probe" } }),
  "POST /v1/venue/scan": () => ({ body: { token: "not.a.code" } }),
  "POST /v1/venue/lookup": (w) => ({
    body: { idType: "resident_id", idNumber: w.personIdNumber, name: "张小三" },
  }),
  "POST /v1/venue/manual-entries": () => ({ body: { name: "王五", phone: "13800001111" } }),
  "POST /v1/lab/results": () => {
    const idNumber = freshResidentId();
    return {
      body: {
        results: [
          {
            sampleId: unique("S"),
            idType: "resident_id",
            idNumber,
            name: "赵六",
            test: "nucleic_acid",
            result: "negative",
            sampledAt: hoursAgo(5),
            reportedAt: hoursAgo(1),
          },
        ],
      },
    };
  },
  "POST /v1/vaccination/records": () => ({
    body: {
      records: [
        {
          recordId: unique("R"),
          idType: "resident_id",
          idNumber: freshResidentId(),
          name: "钱七",
          product: "Sinovac CoronaVac",
          dose: 1,
          date: "2026-01-15",
        },
      ],
    },
  }),
  "POST /v1/authority/labs": () => ({ body: { name: unique("Lab") } }),
  "POST /v1/authority/vaccination-sites": () => ({
    body: { name: unique("Clinic"), districtCode: "510104" },
  }),
  "POST /v1/authority/events": () => ({
    body: {
      idType: "resident_id",
      idNumber: freshResidentId(),
      kind: "released",
      occurredAt: now(),
      reason: "reliability probe",
    },
  }),
  "POST /v1/authority/imports": () => ({ rawBody: "", headers: { "content-type": "application/x-ndjson" } }),
  "DELETE /v1/push/subscriptions": () => ({ body: { endpoint: "https://push.example.com/none" } }),
  "POST /v1/authority/appeals/{id}/answer": () => ({ body: { answer: "Answered." } }),
};

export function sampleRequest(route: string, w: World): SampleRequest {
  const f = VALID_BODIES[route];
  if (f) return f(w);
  const method = route.split(" ")[0];
  return method === "GET" || method === "DELETE" || method === "ALL" ? {} : { body: {} };
}
