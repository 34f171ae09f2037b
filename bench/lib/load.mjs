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

/** autocannon requests for the bench's check-in load: a random person × place code each request. */
export const randomCheckIns = (persons, placeCodes) => [
  {
    method: "POST",
    setupRequest: (req) => {
      const p = persons[Math.floor(Math.random() * persons.length)];
      const placeCode = placeCodes[Math.floor(Math.random() * placeCodes.length)];
      return {
        ...req,
        headers: { ...req.headers, authorization: `Bearer ${p.idToken}`, "content-type": "application/json" },
        body: JSON.stringify({ placeCode, personId: p.personId }),
      };
    },
  },
];
