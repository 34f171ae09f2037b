/**
 * The cast every reliability test needs, created through the public API the way real callers get
 * their credentials: persons (self, a stranger, a guardian managing the first), the authority, a
 * lab and a revoked lab, a venue with a device key and a revoked one, a vaccination site; and the
 * accounts that asked to manage the person: an approved one (the guardian), one still pending, one
 * the person denied and one the person removed after approving it (issue 17).
 */
import { issueKey, revokeKey } from "../../../workers/auth/api-keys";
import { openApiDocument } from "../../../workers/index";
import { authorityToken, call, env, idToken, ORIGIN } from "../../helpers/api";
import { applicant, freshResidentId } from "../../helpers/identities";

export const CALLERS = [
  "none",
  "person",
  "otherPerson",
  "guardian",
  "pendingProxy",
  "deniedProxy",
  "removedManager",
  "device",
  "revokedDevice",
  "lab",
  "revokedLab",
  "vaccinationSite",
  "authority",
] as const;
export type CallerName = (typeof CALLERS)[number];

export interface World {
  /** Bearer credential of each kind of caller (undefined: none). */
  tokens: Record<CallerName, string | undefined>;
  /** The person "person" holds as self and "guardian" manages as a relative. */
  personId: string;
  personIdNumber: string;
  /** A pending request to manage the person, which only the managers routes consume. */
  spareRequestId: string;
  /** The stranger's own person. */
  otherPersonId: string;
  labId: string;
  venueId: string;
  /** A second venue of "person", for the route that closes a venue. */
  spareVenueId: string;
  /** A live device key id of venueId that only the revoke route may consume. */
  spareDeviceKeyId: string;
  placeCode: string;
  vaccinationSiteId: string;
  /** Whether each credential came from the public API (false: issued directly, route missing). */
  viaApi: { venue: boolean; vaccinationSite: boolean };
}

export const DISTRICT = "510104";

/** The set of `METHOD /path/{param}` operations in the OpenAPI document. */
export function openApiOperations(): Set<string> {
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(openApiDocument(ORIGIN).paths ?? {})) {
    for (const method of Object.keys(item ?? {})) {
      if (["get", "post", "put", "patch", "delete", "head", "options"].includes(method))
        ops.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return ops;
}

function must<T>(res: { status: number; body: T }, expected: number, what: string): T {
  if (res.status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function applySelf(sub: string): Promise<{ token: string; personId: string; idNumber: string }> {
  const idNumber = freshResidentId();
  const token = await idToken(sub, { idType: "resident_id", idNumber });
  const body = must(
    await call<{ personId: string }>("POST", "/v1/persons", { token, body: applicant(idNumber) }),
    201,
    "apply",
  );
  return { token, personId: body.personId, idNumber };
}

let counter = 0;

export async function createWorld(): Promise<World> {
  const tag = `${Date.now().toString(36)}-${counter++}`;
  const ops = openApiOperations();
  const authority = await authorityToken();
  const a = await applySelf(`rel-person-${tag}`);
  const b = await applySelf(`rel-other-${tag}`);
  // The person has their own account, so each application is a request the person answers.
  const ask = async (sub: string) => {
    const token = await idToken(`${sub}-${tag}`);
    const { requestId } = must(
      await call<{ requestId: string }>("POST", "/v1/persons", {
        token,
        body: applicant(a.idNumber, { relationship: "parent" }),
      }),
      202,
      `${sub} asks to manage the person`,
    );
    return { token, requestId };
  };
  const answer = async (requestId: string, verb: "approve" | "deny") =>
    must(
      await call("POST", `/v1/persons/${a.personId}/managers/${requestId}/${verb}`, { token: a.token }),
      200,
      `the person answers ${verb}`,
    );
  const guardianAsk = await ask("rel-guardian");
  await answer(guardianAsk.requestId, "approve");
  const guardian = guardianAsk.token;
  const pendingProxy = (await ask("rel-pending")).token;
  const denied = await ask("rel-denied");
  await answer(denied.requestId, "deny");
  const removed = await ask("rel-removed");
  await answer(removed.requestId, "approve");
  must(
    await call("DELETE", `/v1/persons/${a.personId}/managers/${removed.requestId}`, { token: a.token }),
    204,
    "the person removes a manager",
  );
  const spare = await ask("rel-spare");

  const lab = must(
    await call<{ labId: string; labKey: string }>("POST", "/v1/authority/labs", {
      token: authority,
      body: { name: `Reliability lab ${tag}` },
    }),
    201,
    "create lab",
  );
  const lab2 = must(
    await call<{ labId: string; keyId: string; labKey: string }>("POST", "/v1/authority/labs", {
      token: authority,
      body: { name: `Revoked lab ${tag}` },
    }),
    201,
    "create lab 2",
  );
  must(
    await call("DELETE", `/v1/authority/labs/${lab2.labId}/keys/${lab2.keyId}`, { token: authority }),
    204,
    "revoke lab key",
  );

  let venueId: string;
  let spareVenueId: string;
  let placeCode = "no-place-code";
  let deviceKey: string;
  let revokedDeviceKey: string;
  let spareDeviceKeyId: string;
  const venueViaApi =
    ops.has("POST /v1/venues") && ops.has("DELETE /v1/venues/{venueId}/device-keys/{keyId}");
  if (venueViaApi) {
    const venueBody = (name: string) => ({
      name,
      category: "market",
      address: "1 Test Road",
      districtCode: DISTRICT,
    });
    const v = must(
      await call<{ venueId: string; placeCode: string; deviceKey: string }>("POST", "/v1/venues", {
        token: a.token,
        body: venueBody(`Market ${tag}`),
      }),
      201,
      "register venue",
    );
    venueId = v.venueId;
    placeCode = v.placeCode;
    // Verified by the authority, as a venue whose staff look people up must be.
    must(
      await call("POST", `/v1/authority/venues/${venueId}/verify`, { token: authority, body: {} }),
      200,
      "verify venue",
    );
    deviceKey = v.deviceKey;
    spareVenueId = must(
      await call<{ venueId: string }>("POST", "/v1/venues", {
        token: a.token,
        body: venueBody(`Spare ${tag}`),
      }),
      201,
      "register spare venue",
    ).venueId;
    const addKey = async () =>
      must(
        await call<{ keyId: string; deviceKey: string }>("POST", `/v1/venues/${venueId}/device-keys`, {
          token: a.token,
          body: {},
        }),
        201,
        "add device key",
      );
    const revoked = await addKey();
    must(
      await call("DELETE", `/v1/venues/${venueId}/device-keys/${revoked.keyId}`, { token: a.token }),
      204,
      "revoke device key",
    );
    revokedDeviceKey = revoked.deviceKey;
    spareDeviceKeyId = (await addKey()).keyId;
  } else {
    // Venue routes not mounted yet: keys of kind "device" straight from the key store.
    venueId = `ven_reliability${tag.replace(/[^A-Za-z0-9]/g, "")}`;
    spareVenueId = `${venueId}x`;
    deviceKey = (await issueKey(env, "device", venueId)).key;
    const revoked = await issueKey(env, "device", venueId);
    await revokeKey(env, venueId, revoked.keyId);
    revokedDeviceKey = revoked.key;
    spareDeviceKeyId = (await issueKey(env, "device", venueId)).keyId;
  }

  let vaccinationSiteKey: string;
  let vaccinationSiteId: string;
  const siteViaApi = ops.has("POST /v1/authority/vaccination-sites");
  if (siteViaApi) {
    const s = must(
      await call<{ siteId: string; siteKey: string }>("POST", "/v1/authority/vaccination-sites", {
        token: authority,
        body: { name: `Clinic ${tag}`, districtCode: DISTRICT },
      }),
      201,
      "create vaccination site",
    );
    vaccinationSiteId = s.siteId;
    vaccinationSiteKey = s.siteKey;
  } else {
    vaccinationSiteId = `vs_reliability_${tag}`;
    vaccinationSiteKey = (await issueKey(env, "vaccination_site", vaccinationSiteId)).key;
  }

  return {
    tokens: {
      none: undefined,
      person: a.token,
      otherPerson: b.token,
      guardian,
      pendingProxy,
      deniedProxy: denied.token,
      removedManager: removed.token,
      device: deviceKey,
      revokedDevice: revokedDeviceKey,
      lab: lab.labKey,
      revokedLab: lab2.labKey,
      vaccinationSite: vaccinationSiteKey,
      authority,
    },
    personId: a.personId,
    personIdNumber: a.idNumber,
    otherPersonId: b.personId,
    spareRequestId: spare.requestId,
    labId: lab.labId,
    venueId,
    spareVenueId,
    spareDeviceKeyId,
    placeCode,
    vaccinationSiteId,
    viaApi: { venue: venueViaApi, vaccinationSite: siteViaApi },
  };
}
