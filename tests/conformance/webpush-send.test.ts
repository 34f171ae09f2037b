// sendPush end to end against a push service played by a fetcher: what it sends must decrypt, with
// the independent RFC-validated decryptor, to the payload, and carry a VAPID token a push service accepts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type PushSubscription, sendPush } from "../../workers/push/send";
import { vapidFromEnv } from "../../workers/push/vapid";
import { decryptWebPush, makeUserAgentKeys, verifyVapidAuthorization } from "../helpers/webpush-decrypt";

const vapid = vapidFromEnv(env);

/** A push service that records each request and answers with the given response. */
function pushService(answer: () => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    requests.push(new Request(input, init));
    return answer();
  };
  return { requests, fetcher };
}

async function subscriber(endpoint: string) {
  const ua = await makeUserAgentKeys();
  const sub: PushSubscription = { endpoint, keys: ua.keys };
  const open = async (req: Request) =>
    JSON.parse(
      new TextDecoder().decode(
        await decryptWebPush(
          new Uint8Array(await req.arrayBuffer()),
          ua.privateJwk,
          ua.publicRaw,
          ua.authSecret,
        ),
      ),
    );
  return { sub, open };
}

const colourChange = { personId: "p_3b1f", color: "red", previousColor: "green", at: "2026-11-05T08:00:00Z" };

describe("sendPush round trip", () => {
  it("delivers an aes128gcm message the subscriber decrypts, with ttl, urgency and a valid VAPID token", async () => {
    const { sub, open } = await subscriber("https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV");
    const service = pushService(() => new Response(null, { status: 201 }));
    const outcome = await sendPush(sub, colourChange, vapid, {
      ttl: 3600,
      urgency: "high",
      topic: "p_3b1f",
      fetcher: service.fetcher,
    });

    expect(outcome).toEqual({ kind: "delivered" });
    expect(service.requests).toHaveLength(1);
    const req = service.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe(sub.endpoint);
    expect(req.headers.get("content-encoding")).toBe("aes128gcm");
    expect(req.headers.get("ttl")).toBe("3600");
    expect(req.headers.get("urgency")).toBe("high");
    expect(req.headers.get("topic")).toBe("p_3b1f");
    const claims = await verifyVapidAuthorization(
      req.headers.get("authorization") ?? "",
      env.VAPID_PUBLIC_KEY,
      "https://push.example.net",
    );
    expect(claims.sub).toBe(env.VAPID_SUBJECT);
    expect(await open(req)).toEqual(colourChange);
  });

  it("pads every message to the same size so the push service cannot tell colours apart", async () => {
    const { sub } = await subscriber("https://push.example.net/push/a");
    const service = pushService(() => new Response(null, { status: 201 }));
    await sendPush(sub, { ...colourChange, color: "red" }, vapid, { fetcher: service.fetcher });
    await sendPush(sub, { ...colourChange, color: "yellow" }, vapid, { fetcher: service.fetcher });
    const sizes = await Promise.all(service.requests.map(async (r) => (await r.arrayBuffer()).byteLength));
    expect(sizes[0]).toBe(sizes[1]);
  });

  it("signs for the endpoint's origin including a non-default port", async () => {
    const { sub, open } = await subscriber("https://push.example.net:8443/wpush/v2/abc");
    const service = pushService(() => new Response(null, { status: 201 }));
    await sendPush(sub, colourChange, vapid, { fetcher: service.fetcher });
    const req = service.requests[0]!;
    await verifyVapidAuthorization(
      req.headers.get("authorization") ?? "",
      env.VAPID_PUBLIC_KEY,
      "https://push.example.net:8443",
    );
    expect(await open(req)).toEqual(colourChange);
  });

  it("delivers to a local http receiver in development mode, with the http origin as aud", async () => {
    const { sub, open } = await subscriber("http://127.0.0.1:8790/push/dev-1");
    const service = pushService(() => new Response(null, { status: 201 }));
    const outcome = await sendPush(sub, colourChange, vapid, { devMode: true, fetcher: service.fetcher });
    expect(outcome).toEqual({ kind: "delivered" });
    const req = service.requests[0]!;
    await verifyVapidAuthorization(
      req.headers.get("authorization") ?? "",
      env.VAPID_PUBLIC_KEY,
      "http://127.0.0.1:8790",
    );
    expect(await open(req)).toEqual(colourChange);
  });

  it("refuses that http endpoint outside development mode, and private hosts always", async () => {
    const service = pushService(() => new Response(null, { status: 201 }));
    const dev = await subscriber("http://127.0.0.1:8790/push/dev-1");
    await expect(sendPush(dev.sub, colourChange, vapid, { fetcher: service.fetcher })).rejects.toThrow(
      /https/,
    );
    const internal = await subscriber("https://169.254.169.254/latest/meta-data");
    await expect(
      sendPush(internal.sub, colourChange, vapid, { devMode: true, fetcher: service.fetcher }),
    ).rejects.toThrow(/private/);
    expect(service.requests).toHaveLength(0);
  });

  it("refuses a payload over 1 KB without sending anything", async () => {
    const { sub } = await subscriber("https://push.example.net/push/a");
    const service = pushService(() => new Response(null, { status: 201 }));
    await expect(
      sendPush(sub, { note: "x".repeat(1100) }, vapid, { fetcher: service.fetcher }),
    ).rejects.toThrow(/1024/);
    expect(service.requests).toHaveLength(0);
  });
});

describe("sendPush outcomes", () => {
  const answer = async (response: () => Response, attempt = 0) => {
    const { sub } = await subscriber("https://push.example.net/push/a");
    return sendPush(sub, colourChange, vapid, { attempt, fetcher: pushService(response).fetcher });
  };

  it("410 and 404 mean the subscription is gone", async () => {
    expect(await answer(() => new Response(null, { status: 410 }))).toEqual({ kind: "gone" });
    expect(await answer(() => new Response("no such subscription", { status: 404 }))).toEqual({
      kind: "gone",
    });
  });

  it("429 honours Retry-After in seconds and as an HTTP date", async () => {
    expect(
      await answer(() => new Response(null, { status: 429, headers: { "retry-after": "120" } })),
    ).toEqual({
      kind: "retry",
      afterSeconds: 120,
    });
    const inFiveMinutes = new Date(Date.now() + 300_000).toUTCString();
    const outcome = await answer(
      () => new Response(null, { status: 429, headers: { "retry-after": inFiveMinutes } }),
    );
    expect(outcome.kind).toBe("retry");
    if (outcome.kind === "retry") expect(outcome.afterSeconds).toBeGreaterThanOrEqual(298);
    if (outcome.kind === "retry") expect(outcome.afterSeconds).toBeLessThanOrEqual(300);
  });

  it("503 and network failures retry with a backoff that grows with the attempt", async () => {
    const first = await answer(() => new Response(null, { status: 503 }), 0);
    const later = await answer(() => new Response(null, { status: 503 }), 4);
    expect(first.kind === "retry" && first.afterSeconds >= 15 && first.afterSeconds <= 30).toBe(true);
    expect(later.kind === "retry" && later.afterSeconds >= 240 && later.afterSeconds <= 480).toBe(true);
    const down = await answer(() => {
      throw new TypeError("Network connection lost.");
    });
    expect(down.kind).toBe("retry");
  });

  it("400 is rejected: drop the message, keep the subscription", async () => {
    expect(await answer(() => new Response("bad", { status: 400 }))).toEqual({
      kind: "rejected",
      status: 400,
    });
  });

  it("does not follow a redirect to another host", async () => {
    const { sub } = await subscriber("https://push.example.net/push/a");
    const service = pushService(
      () => new Response(null, { status: 307, headers: { location: "http://169.254.169.254/" } }),
    );
    expect(await sendPush(sub, colourChange, vapid, { fetcher: service.fetcher })).toEqual({
      kind: "rejected",
      status: 307,
    });
    expect(service.requests[0]?.redirect).toBe("manual");
  });
});
