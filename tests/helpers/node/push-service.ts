// A stand-in for every push service, run in Node and bound to the Worker as PUSH_FETCHER
// (vitest.config.ts). The Worker POSTs to a subscription's endpoint through the binding; this
// records the request and answers as the endpoint's path asks, so a test picks the push service's
// behaviour by the endpoint it subscribes:
//   https://push.example.net/<status>/<anything>[?retry-after=<seconds>]
// e.g. /201/abc (accepted), /410/abc (gone), /429/abc?retry-after=120 (busy).
// Tests read what an endpoint received with GET http://push-service.test/captured?endpoint=<url>
// through the same binding; captures are keyed by endpoint, so parallel test files never mix.

export interface CapturedPush {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The body, base64 (standard alphabet). */
  body: string;
}

const CONTROL_ORIGIN = "http://push-service.test";

export function createPushService() {
  const received = new Map<string, CapturedPush[]>();
  return async function pushService(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.origin === CONTROL_ORIGIN && url.pathname === "/captured") {
      const endpoint = url.searchParams.get("endpoint") ?? "";
      return Response.json(received.get(endpoint) ?? []);
    }
    // btoa rather than Buffer: this file also type-checks with the Worker's (non-Node) types.
    let binary = "";
    for (const b of new Uint8Array(await request.arrayBuffer())) binary += String.fromCharCode(b);
    const body = btoa(binary);
    const captured: CapturedPush = {
      url: request.url,
      method: request.method,
      headers: {},
      body,
    };
    request.headers.forEach((value, name) => {
      captured.headers[name] = value;
    });
    received.set(request.url, [...(received.get(request.url) ?? []), captured]);
    const status = Number(url.pathname.split("/")[1]);
    const retryAfter = url.searchParams.get("retry-after");
    return new Response(null, {
      status: status >= 200 && status <= 599 ? status : 201,
      headers: retryAfter ? { "retry-after": retryAfter } : {},
    });
  };
}
