// The test side of the push service in tests/helpers/node/push-service.ts: endpoints that answer
// as a test needs, what they received, and a browser's view of it (decrypted with the independent
// RFC 8291 decryptor).
import { env } from "cloudflare:workers";
import type { subscriptionByEndpoint } from "../../workers/push/repo";
import type { CapturedPush } from "./node/push-service";
import { decryptWebPush, makeUserAgentKeys, type UserAgentKeys } from "./webpush-decrypt";

export type { CapturedPush };

export const PUSH_ORIGIN = "https://push.example.net";

/** A fresh endpoint whose push service answers `status` (and `retry-after`, if given). */
export function pushEndpoint(status = 201, retryAfter?: number): string {
  const query = retryAfter === undefined ? "" : `?retry-after=${retryAfter}`;
  return `${PUSH_ORIGIN}/${status}/${crypto.randomUUID()}${query}`;
}

export async function received(endpoint: string): Promise<CapturedPush[]> {
  const binding = (env as Env & { PUSH_FETCHER?: Fetcher }).PUSH_FETCHER;
  if (!binding) throw new Error("PUSH_FETCHER is not bound (vitest.config.ts)");
  const res = await binding.fetch(
    `http://push-service.test/captured?endpoint=${encodeURIComponent(endpoint)}`,
  );
  return res.json();
}

/** A browser: its keys, its subscription JSON, and what it reads from a captured push. */
export interface Browser {
  ua: UserAgentKeys;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  read(push: CapturedPush): Promise<unknown>;
}

export async function browser(endpoint = pushEndpoint()): Promise<Browser> {
  const ua = await makeUserAgentKeys();
  return {
    ua,
    subscription: { endpoint, keys: ua.keys },
    async read(push) {
      const body = Uint8Array.from(atob(push.body), (c) => c.charCodeAt(0));
      const plain = await decryptWebPush(body, ua.privateJwk, ua.publicRaw, ua.authSecret);
      return JSON.parse(new TextDecoder().decode(plain));
    },
  };
}

type SubscriptionRow = NonNullable<Awaited<ReturnType<typeof subscriptionByEndpoint>>>;

/**
 * A D1 subscription row's copy sent straight to a person's object at `version`, as the subscribe
 * route sends it: to replay a late or reordered copy, or a forged one.
 */
export async function copyToObject(personId: string, row: SubscriptionRow, version: number) {
  const { id, accountId, endpoint, p256dh, auth } = row;
  await env.PERSON.getByName(personId).updatePushTargets({
    accountId,
    upserts: [{ id, accountId, endpoint, p256dh, auth }],
    removed: [],
    version,
  });
}
