import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { forbidden, unauthorized } from "../http/problems";
import { log } from "../lib/log";
import { resolveKey } from "./api-keys";
import type { KeyCaller, PersonCaller } from "./caller";
import { verifyIdToken } from "./id-tokens";

function bearer(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1] ?? null;
}

/** A person's app: an ID token from a configured provider. */
export const personAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw unauthorized();
  const check = await verifyIdToken(c.env, token);
  if (!check.ok) {
    log("info", "id token refused", { reason: check.reason, requestId: c.get("requestId") });
    throw unauthorized("The ID token is not valid for this service");
  }
  c.set("caller", check.caller);
  await next();
});

/** The health authority: an ID token whose subject holds the authority role. */
export const authorityAuth = createMiddleware<AppEnv>(async (c, next) => {
  await personAuth(c, async () => {
    if (!(c.get("caller") as PersonCaller).isAuthority)
      throw forbidden("This action needs the authority role");
    await next();
  });
});

/** A machine credential (lab, venue device, vaccination site) of one of the given kinds. */
export function keyAuth(...kinds: KeyCaller["kind"][]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = bearer(c.req.header("authorization"));
    if (!key) throw unauthorized();
    const caller = await resolveKey(c.env, key, kinds);
    if (!caller) throw unauthorized(`A valid ${kinds.join(" or ")} key is required`);
    c.set("caller", caller);
    await next();
  });
}

export function personCaller(c: { get(key: "caller"): unknown }): PersonCaller {
  const caller = c.get("caller") as PersonCaller | undefined;
  if (caller?.kind !== "person") throw unauthorized();
  return caller;
}

export function keyCaller(c: { get(key: "caller"): unknown }): KeyCaller {
  const caller = c.get("caller") as KeyCaller | undefined;
  if (!caller || caller.kind === ("person" as string)) throw unauthorized();
  return caller;
}
