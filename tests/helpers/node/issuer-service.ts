// Remote issuers played by the tests, run in Node and bound to the Worker as ISSUER_FETCHER
// (vitest.config.ts): the Worker fetches a trusted issuer's jwksUri through the binding. A test sets
// what a URL answers with POST http://issuer-service.test/set {url, status?, body?, delayMs?} through
// the same binding (a JWKS, a 503, or a delay past the Worker's 3 s timeout). Answers are keyed by
// URL, so parallel test files never mix.

interface Answer {
  status: number;
  body: string;
  delayMs: number;
}

const CONTROL = "http://issuer-service.test/set";

export function createIssuerService() {
  const answers = new Map<string, Answer>();
  return async function issuerService(request: Request): Promise<Response> {
    if (request.url === CONTROL) {
      const {
        url,
        status = 200,
        body = "",
        delayMs = 0,
      } = (await request.json()) as {
        url: string;
        status?: number;
        body?: unknown;
        delayMs?: number;
      };
      answers.set(url, { status, body: typeof body === "string" ? body : JSON.stringify(body), delayMs });
      return new Response(null, { status: 204 });
    }
    const answer = answers.get(request.url);
    if (!answer) return new Response("not found", { status: 404 });
    if (answer.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return new Response(answer.body, {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
}
