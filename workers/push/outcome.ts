// How a push service's answer maps to what the caller does with the message and the subscription
// (RFC 8030 §5–§8). Pure, so the retry policy is tested without a network.

export type PushOutcome =
  /** Accepted by the push service (it stores and forwards; delivery to the device is not observable). */
  | { kind: "delivered" }
  /** 404/410: the subscription expired or was unsubscribed; delete it. */
  | { kind: "gone" }
  /** 429, 5xx or no answer: send the same message again after this many seconds. */
  | { kind: "retry"; afterSeconds: number }
  /** Any other answer: this message can never be accepted; drop it, keep the subscription. */
  | { kind: "rejected"; status: number };

const BACKOFF_BASE_SECONDS = 30;
const BACKOFF_CAP_SECONDS = 60 * 60;
/** A Retry-After beyond this is more likely a broken header than a plan; a queue holds a day at most. */
const RETRY_AFTER_CAP_SECONDS = 24 * 60 * 60;

/**
 * Exponential backoff with "equal jitter": when a push service has an outage every queued message
 * fails at once, and without jitter they would all come back at once too.
 */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt));
  return Math.ceil(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unusable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    // Every HTTP-date form starts with a day name; this keeps Date.parse from reading "-5" as a year.
    if (!/^[A-Za-z]/.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  // A date already past still means "not right now": wait at least a second.
  return Math.min(RETRY_AFTER_CAP_SECONDS, Math.max(1, seconds));
}

export function classifyPushResponse(
  status: number,
  retryAfter: string | null,
  attempt: number,
  nowMs: number,
): PushOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 404 || status === 410) return { kind: "gone" };
  if (status === 429 || status >= 500) {
    return { kind: "retry", afterSeconds: parseRetryAfter(retryAfter, nowMs) ?? backoffSeconds(attempt) };
  }
  // Other 4xx (400 malformed, 401/403 VAPID refused, 413 too large) and 3xx, which we never follow
  // because a redirect could point the Worker at a host the endpoint policy refused.
  return { kind: "rejected", status };
}
