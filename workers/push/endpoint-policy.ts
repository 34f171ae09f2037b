// The service POSTs to whatever endpoint a client registers, so an unchecked endpoint would let any
// account make the Worker call internal hosts (SSRF). Only public https push resources pass;
// development mode adds the loopback http forms a local push receiver listens on.
//
// What is checked, and what cannot be: literal addresses are refused in every spelling the URL
// parser accepts (decimal, hex and octal IPv4, short forms, IPv4-mapped/compatible/6to4/NAT64 IPv6,
// zone ids), as are names in private zones. A public *name* that resolves to a private address is
// not checkable here: Workers give no DNS answer to inspect before fetch() connects (fetch resolves
// itself, so a check-then-fetch would race a rebinding DNS server anyway). What bounds it is where
// the fetch leaves from: a Worker's subrequests go out from Cloudflare's network to the public
// Internet, and the only private networks a Worker can reach are ones bound to it explicitly (a
// Workers VPC service / Cloudflare Tunnel binding, or a service binding); the push sender has none.
// We found no Cloudflare documentation that states a guarantee about public names resolving to
// RFC 1918 or loopback addresses, so this is a property of our deployment (no private bindings on
// this Worker), not a platform promise: keep it so. Development (workerd/miniflare on a laptop) does
// reach the local network, which is why dev mode's loopback allowance is dev-only.

export type EndpointCheck = { ok: true } | { ok: false; message: string };

/** Long enough for every real push service (FCM, Mozilla, Apple, WNS); bounds what we store. */
const MAX_ENDPOINT_LENGTH = 2048;

/** Names that never resolve to a public host (RFC 6761, RFC 8375 and common private zones). */
const PRIVATE_SUFFIXES = ["localhost", "local", "internal", "home.arpa", "lan", "invalid"];

const refuse = (message: string): EndpointCheck => ({ ok: false, message });

export function checkPushEndpoint(url: string, opts: { devMode: boolean }): EndpointCheck {
  if (url.length > MAX_ENDPOINT_LENGTH)
    return refuse(`endpoint is longer than ${MAX_ENDPOINT_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("endpoint is not a URL");
  }
  if (parsed.username !== "" || parsed.password !== "")
    return refuse("endpoint must not contain credentials");

  if (parsed.protocol === "http:") {
    // Only the two loopback spellings a developer's local receiver uses; never [::1] or other names.
    if (opts.devMode && (parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost"))
      return { ok: true };
    return refuse("endpoint must use https");
  }
  if (parsed.protocol !== "https:") return refuse("endpoint must use https");

  // The URL parser has already canonicalised IPv4 spellings (0x7f.1, 2130706433 → 127.0.0.1) and
  // IPv6 literals (brackets kept, zeros compressed), so the checks below see one form per address.
  const host = parsed.hostname;
  if (host.startsWith("[")) {
    const v6 = parseIPv6(host.slice(1, -1));
    if (!v6) return refuse("endpoint host is not a valid IPv6 address");
    return isPublicIPv6(v6) ? { ok: true } : refuse("endpoint host is a private or reserved IPv6 address");
  }
  const v4 = parseIPv4(host);
  if (v4)
    return isPublicIPv4(v4) ? { ok: true } : refuse("endpoint host is a private or reserved IPv4 address");

  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (!name.includes(".")) return refuse("endpoint host must be a fully qualified public name");
  for (const suffix of PRIVATE_SUFFIXES) {
    if (name === suffix || name.endsWith(`.${suffix}`))
      return refuse(`endpoint host is in the private zone .${suffix}`);
  }
  return { ok: true };
}

type IPv4 = [number, number, number, number];

function parseIPv4(host: string): IPv4 | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? (octets as IPv4) : undefined;
}

function isPublicIPv4([a, b, c]: IPv4): boolean {
  if (a === 0 || a === 10 || a === 127) return false; // "this network", private, loopback
  if (a === 100 && b >= 64 && b <= 127) return false; // CGNAT 100.64/10
  if (a === 169 && b === 254) return false; // link-local (cloud metadata services live here)
  if (a === 172 && b >= 16 && b <= 31) return false; // private 172.16/12
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF assignments, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return a < 224; // multicast, reserved and broadcast
}

/** Eight 16-bit groups, or undefined if the text is not an IPv6 address. */
function parseIPv6(text: string): number[] | undefined {
  if (text.includes("%")) return undefined; // zone ids only make sense on the local link
  let body = text;
  const tail: number[] = [];
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (dotted?.[1]) {
    const v4 = parseIPv4(dotted[1]);
    if (!v4) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    body = body.slice(0, -dotted[1].length);
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const parsed = [...head, ...rest].map((g) =>
    /^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN,
  );
  if (parsed.some(Number.isNaN)) return undefined;
  const explicit = parsed.length + tail.length;
  if (halves.length === 1) return explicit === 8 ? [...parsed, ...tail] : undefined;
  if (explicit > 7) return undefined;
  const zeros = new Array<number>(8 - explicit).fill(0);
  return [...parsed.slice(0, head.length), ...zeros, ...parsed.slice(head.length), ...tail];
}

function isPublicIPv6(g: number[]): boolean {
  const first = g[0] ?? 0;
  // Only global unicast (2000::/3) can be a public push service. This alone refuses ::, ::1,
  // IPv4-mapped/compatible forms (::ffff:127.0.0.1), NAT64, fc00::/7, fe80::/10 and multicast.
  if ((first & 0xe000) !== 0x2000) return false;
  if (first === 0x2001 && (g[1] ?? 0) === 0x0db8) return false; // documentation
  if (first === 0x2001 && (g[1] ?? 0) === 0) return false; // Teredo tunnels to arbitrary IPv4
  if (first === 0x2002) {
    // 6to4 embeds an IPv4 address that the relay would reach on our behalf
    const hi = g[1] ?? 0;
    const lo = g[2] ?? 0;
    return isPublicIPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  return true;
}
