/**
 * Forged and damaged credentials on every credential-checking path: each ID-token route (from the
 * authorisation table, so a new route is swept as soon as it has a row), each key route, and every
 * code-verifying route (/v1/verify, /v1/venue/scan). tests/routes/verify.security.test.ts checks
 * individual verify reasons; this sweeps the same classes of attack over every route.
 */
import { base64url, importJWK, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { call, env, first, idToken } from "../helpers/api";
import { MATRIX } from "./auth-matrix.table";
import { appRoutes, concretePath, sampleRequest } from "./helpers/routes";
import { createWorld, type World } from "./helpers/world";

const ISS = "https://healthpass.test";
const DEV_ISS = `${ISS}/dev`;
const DEV_AUD = "healthpass-dev";
const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
const dec = (s: string) => JSON.parse(new TextDecoder().decode(base64url.decode(s)));
const nowS = () => Math.floor(Date.now() / 1000);

async function freshKey(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
}

async function hs256(header: object, payload: object, secret: string): Promise<string> {
  const input = `${enc(header)}.${enc(payload)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)));
  return `${input}.${base64url.encode(sig)}`;
}

/** The family of broken versions of a real, valid token signed by `privateKey` under `header`. */
async function attacks(opts: {
  valid: string;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  privateKey: CryptoKey;
  publicJwk: JWK;
  otherIssuer: string;
}): Promise<[string, string][]> {
  const { valid, claims, header, privateKey, publicJwk } = opts;
  const [h, p, s] = valid.split(".") as [string, string, string];
  const other = await freshKey();
  const sign = (hdr: Record<string, unknown>, body: Record<string, unknown>, key: CryptoKey) =>
    new SignJWT(body).setProtectedHeader(hdr as { alg: string }).sign(key);
  const t = nowS();
  const tamperedPayload = { ...dec(p), sub: `${String(claims.sub)}x` };
  const flipped = (s[0] === "A" ? "B" : "A") + s.slice(1);
  return [
    ["alg none", `${enc({ ...header, alg: "none" })}.${p}.`],
    ["alg none, signature kept", `${enc({ ...header, alg: "none" })}.${p}.${s}`],
    [
      "HS256 with our public JWK as secret",
      await hs256({ ...header, alg: "HS256" }, claims, JSON.stringify(publicJwk)),
    ],
    [
      "HS256 with our public x coordinate as secret",
      await hs256({ ...header, alg: "HS256" }, claims, String(publicJwk.x)),
    ],
    ["unknown kid", await sign({ ...header, kid: "no-such-kid" }, claims, other.privateKey)],
    ["our kid, another key", await sign(header, claims, other.privateKey)],
    ["expired", await sign(header, { ...claims, iat: t - 7200, exp: t - 3600 }, privateKey)],
    [
      "not yet valid (nbf)",
      await sign(header, { ...claims, iat: t, nbf: t + 3600, exp: t + 7200 }, privateKey),
    ],
    ["not yet valid (iat)", await sign(header, { ...claims, iat: t + 3600, exp: t + 7200 }, privateKey)],
    ["tampered payload", `${h}.${enc(tamperedPayload)}.${s}`],
    ["tampered header (kid)", `${enc({ ...header, kid: "tampered" })}.${p}.${s}`],
    ["tampered header (typ)", `${enc({ ...header, typ: "JWT2" })}.${p}.${s}`],
    ["tampered signature", `${h}.${p}.${flipped}`],
    ["truncated signature", valid.slice(0, valid.length - 10)],
    ["truncated to header.payload", `${h}.${p}`],
    ["truncated to header.payload.", `${h}.${p}.`],
    ["truncated mid-payload", valid.slice(0, h.length + 1 + Math.floor(p.length / 2))],
    ["truncated to the header", h],
    ["16 KB signature", `${h}.${p}.${"A".repeat(16_384)}`],
    [
      "16 KB payload, another key",
      await sign(header, { ...claims, pad: "x".repeat(16_384) }, other.privateKey),
    ],
    ["16 KB garbage", "x".repeat(16_384)],
    [
      "other issuer, its own key",
      await sign({ ...header, kid: "evil" }, { ...claims, iss: opts.otherIssuer }, other.privateKey),
    ],
    ["other issuer, our kid", await sign(header, { ...claims, iss: opts.otherIssuer }, other.privateKey)],
    ["two tokens joined", `${valid}.${valid}`],
    ["whitespace inside", `${h}. ${p}.${s}`],
    ["non-base64url", `${h}.${p}.!!!!`],
  ];
}

// ─── ID tokens on every ID-token route ───────────────────────────────────────────────────────────

async function devKey() {
  const jwk = JSON.parse(env.DEV_IDP_KEY ?? "{}") as JWK;
  const { d: _d, ...pub } = jwk;
  return { privateKey: (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey, publicJwk: pub };
}

/** Routes that take an ID token: the table says no credential → 401 and a person gets past auth. */
const idTokenRoutes = Object.entries(MATRIX)
  .filter(([, row]) => row.none === 401 && row.authority !== 401)
  .map(([route]) => route);
const keyRoutes = Object.entries(MATRIX)
  .filter(([, row]) => row.none === 401 && row.authority === 401)
  .map(([route]) => route);

let world: World;
let idAttacks: [string, string][];
let keyAttacks: [string, string | undefined][];
beforeAll(async () => {
  world = await createWorld();
  const { privateKey, publicJwk } = await devKey();
  const t = nowS();
  // The authority's identity, so every attack would be worth the most if it got through.
  const claims = { iss: DEV_ISS, aud: DEV_AUD, sub: "dev-authority", iat: t, exp: t + 3600 };
  const header = { alg: "ES256", kid: "dev-1", typ: "JWT" };
  const valid = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
  idAttacks = [
    ...(await attacks({ valid, claims, header, privateKey, publicJwk, otherIssuer: "https://evil.example" })),
    [
      "wrong audience",
      await new SignJWT({ ...claims, aud: "another-app" }).setProtectedHeader(header).sign(privateKey),
    ],
    [
      "no audience",
      await new SignJWT({ ...claims, aud: undefined }).setProtectedHeader(header).sign(privateKey),
    ],
    ["no exp", await new SignJWT({ ...claims, exp: undefined }).setProtectedHeader(header).sign(privateKey)],
    ["no sub", await new SignJWT({ ...claims, sub: undefined }).setProtectedHeader(header).sign(privateKey)],
    ["ES256 code key used as an ID-token key", await signWithCodeKey(claims)],
  ];
  const k = world.tokens.lab!;
  keyAttacks = [
    ["empty bearer", ""],
    ["truncated key", k.slice(0, -1)],
    ["key plus a character", `${k}A`],
    ["key upper-cased", k.toUpperCase()],
    ["key with a prefix of another kind", `dev_${k.slice(4)}`],
    ["16 KB key", "k".repeat(16_384)],
    ["an ID token", world.tokens.authority],
  ];
});

async function signWithCodeKey(claims: Record<string, unknown>): Promise<string> {
  const jwk = JSON.parse(env.SIGNING_KEYS)[0];
  const key = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "dev-1", typ: "JWT" }).sign(key);
}

describe("forged ID tokens are refused with 401 on every ID-token route", () => {
  test("the sweep covers the ID-token and key routes the app serves", () => {
    const served = new Set(appRoutes());
    expect(idTokenRoutes.filter((r) => served.has(r)).length).toBeGreaterThan(20);
    expect(keyRoutes.filter((r) => served.has(r)).length).toBeGreaterThan(2);
  });

  test("a genuine token from the same key is accepted (the attacks differ only in their flaw)", async () => {
    const res = await call("GET", "/v1/authority/stats", { token: await idToken("dev-authority") });
    expect(res.status).toBe(200);
  });

  test.each(idTokenRoutes)("%s", async (route) => {
    if (!new Set(appRoutes()).has(route)) return expect.fail(`${route} is not served (stale table row)`);
    const { method, path } = concretePath(route, world);
    const failures: string[] = [];
    for (const [name, token] of idAttacks) {
      const res = await call(method, path, { ...sampleRequest(route, world), token });
      if (res.status !== 401 || !String(res.headers.get("content-type")).includes("application/problem+json"))
        failures.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures.join("\n")).toBe("");
  });
});

describe("forged machine keys are refused with 401 on every key route", () => {
  test.each(keyRoutes)("%s", async (route) => {
    if (!new Set(appRoutes()).has(route)) return expect.fail(`${route} is not served (stale table row)`);
    const { method, path } = concretePath(route, world);
    const failures: string[] = [];
    for (const [name, token] of keyAttacks) {
      const res = await call(method, path, {
        ...sampleRequest(route, world),
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 401) failures.push(`${name}: ${res.status}`);
    }
    expect(failures.join("\n")).toBe("");
  });
});

// ─── Codes on every code-verifying route ─────────────────────────────────────────────────────────

describe("forged codes are refused with valid: false and a reason", () => {
  let codeAttacks: [string, string][];
  let genuine: string;
  beforeAll(async () => {
    const code = await call("GET", `/v1/persons/${world.personId}/code`, { token: world.tokens.person });
    expect(code.status).toBe(200);
    genuine = code.body.token;
    const [h, p] = genuine.split(".") as [string, string];
    const jwk = JSON.parse(env.SIGNING_KEYS)[0];
    const jwks = (await call("GET", "/.well-known/jwks.json")).body;
    const privateKey = (await importJWK({ ...jwk, alg: "ES256" }, "ES256")) as CryptoKey;
    codeAttacks = await attacks({
      valid: genuine,
      claims: dec(p),
      header: dec(h),
      privateKey,
      publicJwk: first(jwks.keys, "JWKS keys"),
      otherIssuer: "https://evil.example",
    });
  });

  const VERIFIERS: [string, (token: string) => Promise<{ status: number; body: any }>][] = [
    ["POST /v1/verify", (token) => call("POST", "/v1/verify", { body: { token } })],
    [
      "POST /v1/venue/scan",
      (token) => call("POST", "/v1/venue/scan", { token: world.tokens.device, body: { token } }),
    ],
  ];

  test.each(VERIFIERS)("%s accepts the genuine code", async (_name, verify) => {
    const res = await verify(genuine);
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
  });

  test.each(VERIFIERS)("%s refuses every attack", async (_name, verify) => {
    const failures: string[] = [];
    for (const [name, token] of codeAttacks) {
      const res = await verify(token);
      const refused =
        (res.status === 200 && res.body.valid === false && typeof res.body.reason === "string") ||
        // A body the schema refuses (over 16 KB) is a 400 problem, never a verdict.
        (res.status === 400 && token.length > 16_384 && res.body?.type);
      if (!refused) failures.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures.join("\n")).toBe("");
  });

  test("the reasons name the flaw (not one catch-all reason)", async () => {
    const reasons = new Map<string, string>();
    for (const [name, token] of codeAttacks) {
      const res = await call("POST", "/v1/verify", { body: { token } });
      if (res.status === 200) reasons.set(name, res.body.reason);
    }
    expect(reasons.get("expired")).toBe("expired");
    expect(reasons.get("not yet valid (iat)")).toBe("not_yet_valid");
    expect(reasons.get("tampered payload")).toBe("bad_signature");
    expect(reasons.get("alg none")).toBe("unsupported_alg");
    expect(reasons.get("unknown kid")).toBe("unknown_key");
    expect(reasons.get("other issuer, its own key")).toBe("unknown_issuer");
  });
});
