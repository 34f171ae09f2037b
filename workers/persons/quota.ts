import { SHANGHAI_OFFSET_MS, shanghaiDate } from "../lib/shanghai";

/**
 * New proxy requests an account may file a day (Asia/Shanghai): pending requests to persons with their
 * own account, and refusals (a name that does not match, an identity held by someone else). A family
 * binding its children and elderly parents never meets it (an account manages at most 5 relatives, and
 * those bind without a request); someone probing identity numbers meets it after five.
 */
export const PROXY_REQUESTS_PER_DAY = 5;

const DAY_MS = 86_400_000;

/** Seconds until the next Shanghai midnight, when the allowance renews. */
export function secondsToShanghaiMidnight(nowMs: number): number {
  const local = nowMs + SHANGHAI_OFFSET_MS;
  return Math.max(1, Math.ceil((Math.floor(local / DAY_MS) * DAY_MS + DAY_MS - local) / 1000));
}

/** Counts one request against today's allowance (atomically); returns today's count including it. */
export async function takeProxyRequest(env: Env, accountId: string, now: Date): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO proxy_request_counters (account_id, day, count) VALUES (?1, ?2, 1)
     ON CONFLICT (account_id, day) DO UPDATE SET count = count + 1 RETURNING count`,
  )
    .bind(accountId, shanghaiDate(now))
    .first<{ count: number }>();
  return row?.count ?? 1;
}

/** Gives back a request that turned out to be a repeat or an immediate binding. */
export async function refundProxyRequest(env: Env, accountId: string, now: Date): Promise<void> {
  await env.DB.prepare(
    "UPDATE proxy_request_counters SET count = max(count - 1, 0) WHERE account_id = ?1 AND day = ?2",
  )
    .bind(accountId, shanghaiDate(now))
    .run();
}

/** Retention: yesterday's counters are kept (a day boundary race), older ones go. */
export const proxyCounterRetentionJob = {
  name: "proxy-request-counters",
  async run(env: Env, now: Date): Promise<void> {
    const yesterday = shanghaiDate(new Date(now.getTime() - DAY_MS));
    await env.DB.prepare("DELETE FROM proxy_request_counters WHERE day < ?1").bind(yesterday).run();
  },
};
