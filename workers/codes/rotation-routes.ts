import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { calculateJwkThumbprint } from "jose";
import { errorResponses, problems, security } from "../../schema/wire/common";
import { CreateSigningKeyBody, SigningKeyListSchema, SigningKeySchema } from "../../schema/wire/issuers";
import { newApp } from "../app";
import { auditStatement } from "../audit/log";
import { authorityAuth, personCaller } from "../auth/middleware";
import { conflict, invalid } from "../http/problems";
import { invalidateSigningKeys, type SigningKey, signingKeys } from "./keys";
import { insertSigningKeyStatement, markRetired } from "./keys-repo";
import { wrapPrivateJwk } from "./keys-wrap";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(k: SigningKey) {
  return {
    kid: k.kid,
    source: k.source,
    status: k.state.status,
    activeFrom: new Date(k.activeFrom).toISOString(),
    stoppedAt: iso(k.state.stoppedAt),
    retiresAfter: iso(k.state.retiresAfter),
    retiredAt: iso(k.retiredAt),
  };
}

/** A new P-256 key pair; the private half leaves this function only encrypted. */
async function generateKey(env: Env) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  const publicPart = { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y) };
  const kid = await calculateJwkThumbprint(publicPart, "sha256");
  const wrapped = await wrapPrivateJwk(env, kid, { ...publicPart, d: jwk.d });
  return { kid, publicPart, wrapped };
}

/**
 * Marks keys whose publication period is over as retired (and wipes generated private parts). The
 * JWKS already leaves them out lazily once `retiresAfter` passes; this records it for the listing.
 */
export async function retireSigningKeys(env: Env, now: Date): Promise<string[]> {
  invalidateSigningKeys();
  const keys = await signingKeys(env, now.getTime());
  const due = keys.filter((k) => k.state.status === "retired" && k.retiredAt === null);
  for (const k of due) {
    await markRetired(
      env,
      {
        kid: k.kid,
        source: k.source,
        publicJwk: JSON.stringify({
          kty: k.publicJwk.kty,
          crv: k.publicJwk.crv,
          x: k.publicJwk.x,
          y: k.publicJwk.y,
        }),
        activeFrom: new Date(k.activeFrom).toISOString(),
        createdAt: now.toISOString(),
        createdBy: "scheduled:retire",
      },
      now.toISOString(),
    );
  }
  invalidateSigningKeys();
  return due.map((k) => k.kid);
}

export const retireJob = {
  name: "signing-keys.retire",
  run: async (env: Env, now: Date) => void (await retireSigningKeys(env, now)),
};

const createKey = createRoute({
  method: "post",
  path: "/v1/authority/signing-keys",
  tags: ["Authority"],
  summary: "Rotate: a new code-signing key, published in the JWKS at once, signing from activateAt",
  description:
    "The previous key stops signing at activateAt and stays published for the longest code lifetime after (paper codes: PAPER_CODE_TTL_DAYS), then retires. Pick activateAt at least a few minutes (ideally a bundle lifetime) ahead, so caches and offline scanners learn the key before it is used. One scheduled rotation at a time.",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateSigningKeyBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: SigningKeySchema } } },
    409: problems[409],
    ...errorResponses,
  },
});

const listKeys = createRoute({
  method: "get",
  path: "/v1/authority/signing-keys",
  tags: ["Authority"],
  summary: "Code-signing keys and their timeline (never the private parts)",
  security: security.idToken,
  middleware: [authorityAuth] as const,
  responses: {
    200: { description: "Keys", content: { "application/json": { schema: SigningKeyListSchema } } },
    ...errorResponses,
  },
});

export const rotationRoutes = newApp()
  .openapi(createKey, async (c) => {
    const caller = personCaller(c);
    const { activateAt } = c.req.valid("json");
    const now = Date.now();
    const at = Date.parse(activateAt);
    // A minute of slack for the authority's clock; a key never starts signing in the past.
    if (at < now - 60_000) throw invalid([{ path: "activateAt", message: "must not be in the past" }]);
    const activeFrom = Math.max(at, now);
    invalidateSigningKeys();
    const existing = await signingKeys(c.env, now);
    if (existing.some((k) => k.state.status === "pending"))
      throw conflict("A rotation is already scheduled; wait until its key is active");
    const { kid, publicPart, wrapped } = await generateKey(c.env);
    const createdAt = new Date(now).toISOString();
    await drizzle(c.env.DB).batch([
      insertSigningKeyStatement(c.env, {
        kid,
        source: "generated",
        publicJwk: JSON.stringify(publicPart),
        privateJwkEnc: wrapped,
        activeFrom: new Date(activeFrom).toISOString(),
        createdAt,
        createdBy: caller.actor,
        retiredAt: null,
      }),
      auditStatement(
        c.env,
        caller,
        {
          action: "signing-key.rotate",
          target: kid,
          detail: { activeFrom: new Date(activeFrom).toISOString() },
        },
        c.get("requestId"),
      ),
    ]);
    invalidateSigningKeys();
    const key = (await signingKeys(c.env, now)).find((k) => k.kid === kid)!;
    return c.json(present(key), 201);
  })
  .openapi(listKeys, async (c) => {
    const keys = await signingKeys(c.env);
    return c.json({ keys: keys.sort((a, b) => a.activeFrom - b.activeFrom).map(present) }, 200);
  });
