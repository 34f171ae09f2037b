// Type-level tests of the typed responses: `npm run check` (tsc) reads this file; nothing runs it.
// Each `@ts-expect-error` must meet an error, so if `call()` fell back to an untyped body these
// lines would fail the check.
import { call, expectStatus } from "./api";

export async function typedResponses(token: string, personId: string, venueId: string): Promise<void> {
  // A template path with a parameter finds its route, and the body is the route's 200 schema.
  const code = await call("GET", `/v1/persons/${personId}/code`, { token });
  code.body.token satisfies string;
  // @ts-expect-error the code schema has no such field
  code.body.noSuchField;

  // A query string does not hide the route.
  const sites = await call("GET", "/v1/testing-sites?near=40,110&limit=3");
  sites.body.sites satisfies { siteId: string; distanceKm?: number }[];
  // @ts-expect-error the testing-site list has no `venues`
  sites.body.venues;

  // The longest matching template wins: …/device-keys is not …/:venueId.
  const added = await call("POST", `/v1/venues/${venueId}/device-keys`, { token, body: {} });
  added.body.deviceKey satisfies string;
  // @ts-expect-error a device key answer is not a venue
  added.body.placeCode;

  // The method picks the endpoint: the list of keys, not the key just added.
  const keys = await call("GET", `/v1/venues/${venueId}/device-keys`, { token });
  keys.body.keys satisfies unknown[];
  // @ts-expect-error the list has no single `deviceKey`
  keys.body.deviceKey;

  // Narrowed to an error status, the body is the problem and nothing else.
  const bad = expectStatus(await call("POST", "/v1/persons", { token, body: {} }), 400);
  bad.body.errors satisfies { path: string; message: string }[] | undefined;
  // @ts-expect-error a 400 has no person id
  bad.body.personId;

  // Narrowed to its success status, the same call reads the success schema.
  const made = expectStatus(await call("POST", "/v1/persons", { token, body: {} }), 201);
  made.body.personId satisfies string;
  // @ts-expect-error a 201 is not a problem
  made.body.errors;
}
