// Load generation with autocannon against the loopback runtime, and the small statistics the table needs.
import autocannon from "autocannon";

/**
 * One closed-loop run: `connections` clients send back to back for `duration` seconds.
 * `requests` (optional) cycles per connection, e.g. to spread calls over several persons.
 */
export async function hammer(
  url,
  { connections, duration, method = "GET", headers, body, requests, warmup = false },
) {
  const result = await autocannon({
    url,
    connections,
    duration,
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body !== undefined ? { body } : {}),
    ...(requests ? { requests } : {}),
  });
  const ok = result["2xx"];
  // A warm-up may end before the first (cold) responses arrive; a measured run may not.
  if (result.non2xx > 0 || result.errors > 0 || (!warmup && (result.timeouts > 0 || ok === 0))) {
    throw new Error(
      `${method} ${url}: ${ok} ok, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    rps: ok / result.duration,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: ok,
    status201: Number(result.statusCodeStats?.["201"]?.count ?? 0),
  };
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (v, digits = 2) =>
  Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null;

/**
 * autocannon requests for the bench's `checkin` load: a random person × place code each request. With
 * the bench's 8 persons × 250 venues most of a round's requests are repeats of a pair already visited
 * inside the two-minute window (how many depends on how long ago the round before ran; the round log
 * prints the share of new visits): this is the figure as it was first measured.
 */
export const randomCheckIns = (persons, placeCodes) => [
  {
    method: "POST",
    setupRequest: (req) =>
      checkInRequest(
        req,
        persons[Math.floor(Math.random() * persons.length)],
        placeCodes[Math.floor(Math.random() * placeCodes.length)],
      ),
  },
];

/** autocannon's request `req` as `person`'s check-in at `placeCode`. */
const checkInRequest = (req, person, placeCode) => ({
  ...req,
  headers: { ...req.headers, authorization: `Bearer ${person.idToken}`, "content-type": "application/json" },
  body: JSON.stringify({ placeCode, personId: person.personId }),
});

/**
 * autocannon requests in which every check-in is a new visit: pairs of `persons` × `placeCodes` walked in
 * an order that visits each pair once (person `i % P` at venue `(i / P + 7 × person) % V`), so that no two
 * requests in a row go to the same venue or person. Each pair comes round again after P × V requests;
 * the caller makes P × V larger than a run sends, or the dedupe window turns the second lap into repeats.
 */
export function newVisitWalk(persons, placeCodes) {
  let i = 0;
  const P = persons.length;
  const V = placeCodes.length;
  return [
    {
      method: "POST",
      setupRequest: (req) => {
        const n = i++ % (P * V);
        const pi = n % P;
        return checkInRequest(req, persons[pi], placeCodes[(Math.floor(n / P) + 7 * pi) % V]);
      },
    },
  ];
}

/**
 * The floor of a new visit's object work, with none of the service's code: the worker calls one of
 * `persons` bare counter objects, which writes a row and calls one of `venues` others, which writes a
 * row (the chain a new visit makes: route → person's object → venue's object).
 */
export function twoWritesWalk(persons, venues) {
  let i = 0;
  return [
    {
      method: "POST",
      setupRequest: (req) => {
        const n = i++;
        return { ...req, path: `/__bench/two-writes?first=p-${n % persons}&second=v-${(n * 7) % venues}` };
      },
    },
  ];
}
