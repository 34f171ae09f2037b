// Persons, tokens and push subscriptions for the bench, made through the public API in development
// mode exactly as an app would (dev identity provider → apply → code).
import { webcrypto } from "node:crypto";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** A valid GB 11643 resident id (Chengdu, Jinjiang district). */
export function residentId(seq, birth = "19850615", address = "510104") {
  const body = `${address}${birth}${String(seq % 1000).padStart(3, "0")}`;
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * WEIGHTS[i], 0);
  return body + CHECK[sum % 11];
}

async function call(origin, method, path, { token, body } = {}) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/**
 * `count` persons, each the `self` of its own account, with an ID token and a fresh code. `first`:
 * the index of the first (persons `first` … `first + count - 1`, so a later call adds new ones).
 */
export async function seedPersons(origin, count, { first = 0 } = {}) {
  const persons = [];
  for (let i = first; i < first + count; i++) {
    const idNumber = residentId(100 + i);
    const { idToken } = await call(origin, "POST", "/dev/id-token", {
      body: { sub: `bench-user-${i}`, idType: "resident_id", idNumber },
    });
    const { personId } = await call(origin, "POST", "/v1/persons", {
      token: idToken,
      body: { name: "张小三", idType: "resident_id", idNumber, phone: "13812345678", relationship: "self" },
    });
    const { token: code } = await call(origin, "GET", `/v1/persons/${personId}/code`, { token: idToken });
    persons.push({ idNumber, idToken, personId, code });
  }
  return persons;
}

export const seed = (origin) => call(origin, "GET", "/dev/seed");

/**
 * `count` venues registered through the API, as `POST /v1/venues` answers them (`venueId`,
 * `placeCode`, …), named `name(v)`. One account registers at most 20 venues (issue 15's abuse limit),
 * so each 20 have an owner account of their own, `${owner}-0`, `${owner}-1`, ….
 */
export async function registerVenues(origin, count, { owner, name }) {
  const venues = [];
  let token = null;
  for (let v = 0; v < count; v++) {
    if (v % 20 === 0)
      ({ idToken: token } = await call(origin, "POST", "/dev/id-token", {
        body: { sub: `${owner}-${v / 20}` },
      }));
    venues.push(
      await call(origin, "POST", "/v1/venues", {
        token,
        body: { name: name(v), category: "market", address: "锦江区春熙路1号", districtCode: "510104" },
      }),
    );
  }
  return venues;
}

/** One check-in of `person` at each place code in turn (creates each venue's object). */
export async function visitEach(origin, person, placeCodes) {
  for (const placeCode of placeCodes)
    await call(origin, "POST", "/v1/checkins", {
      token: person.idToken,
      body: { placeCode, personId: person.personId },
    });
}
export { call };

/** A browser-like push subscription: a P-256 public key (p256dh) and a 16-byte auth secret. */
export async function pushSubscription(endpoint) {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ]);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey("raw", pair.publicKey));
  return {
    endpoint,
    keys: {
      p256dh: Buffer.from(raw).toString("base64url"),
      auth: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString("base64url"),
    },
  };
}

/** Which API paths the worker serves now (areas land over time; pending ones are reported as such). */
export async function servedPaths(origin) {
  const doc = await call(origin, "GET", "/openapi.json");
  return new Set(Object.keys(doc.paths ?? {}));
}
