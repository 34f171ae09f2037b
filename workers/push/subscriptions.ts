// What a subscription must be before we store it: an endpoint the SSRF policy admits and keys that
// encryption can use. Checked at subscribe time so a bad one is a 400 naming the field, instead of
// a delivery that fails (and is only logged) at the first colour change.

import type { FieldError } from "../http/problems";
import { decodeBase64url } from "../lib/base64url";
import { checkPushEndpoint } from "./endpoint-policy";

export interface SubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** RFC 8291 §3.2: the auth secret is 16 random octets. */
const AUTH_SECRET_BYTES = 16;

function decode(text: string): Uint8Array | undefined {
  try {
    return decodeBase64url(text);
  } catch {
    return undefined;
  }
}

/** Field errors under `prefix` (e.g. "subscription"); empty when the subscription is usable. */
export async function checkSubscription(
  sub: SubscriptionInput,
  opts: { devMode: boolean; prefix?: string },
): Promise<FieldError[]> {
  const at = (field: string) => [opts.prefix, field].filter(Boolean).join(".");
  const errors: FieldError[] = [];

  const policy = checkPushEndpoint(sub.endpoint, { devMode: opts.devMode });
  if (!policy.ok) errors.push({ path: at("endpoint"), message: policy.message });

  const point = decode(sub.keys.p256dh);
  if (point?.length !== 65 || point[0] !== 0x04) {
    errors.push({
      path: at("keys.p256dh"),
      message: "must be a 65-byte uncompressed P-256 point (0x04…), base64url",
    });
  } else if (!(await onCurve(point))) {
    // 65 bytes starting 0x04 but not a curve point: encryption would throw at every delivery.
    errors.push({ path: at("keys.p256dh"), message: "is not a point on the P-256 curve" });
  }

  const auth = decode(sub.keys.auth);
  if (!auth || auth.length !== AUTH_SECRET_BYTES) {
    errors.push({ path: at("keys.auth"), message: `must be ${AUTH_SECRET_BYTES} bytes, base64url` });
  }
  return errors;
}

async function onCurve(point: Uint8Array): Promise<boolean> {
  try {
    await crypto.subtle.importKey("raw", point, { name: "ECDH", namedCurve: "P-256" }, false, []);
    return true;
  } catch {
    return false;
  }
}
